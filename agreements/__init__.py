"""Each participation's partnership agreement with the ministry, its amendments and their
digitally signed containers."""
