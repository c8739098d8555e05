"""The end of a participation: the final report, its approval, the last payment and closing."""
