"""Indexes for the portal's searches: a trigram GIN index on UPPER(field) serves the
`icontains` filters (PostgreSQL compares UPPER(field) LIKE UPPER('%word%'))."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models.functions import Upper


def trigram_index(field: str, name: str) -> GinIndex:
    """A GIN index with pg_trgm's operators on the upper-cased field."""
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)
