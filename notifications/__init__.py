"""Who must act is told: in the portal and by e-mail."""
