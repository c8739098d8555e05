"""A participation's thread between the municipality, its provider and the ministry."""
