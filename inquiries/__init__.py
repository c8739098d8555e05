"""The ministry asks a municipality for more information, and the answer."""
