"""A model select's choices in one query.

Django reads them through QuerySet.iterator() to spare memory. On PostgreSQL that is a
server-side cursor: a declare, two fetches and a close, four round trips for a select of a dozen
counties, which made each select of a list page's filter cost more than a row of its table. A
select shows every row it reads, so reading them at once costs no more memory than the page.
"""

from collections.abc import Iterator
from typing import Any

from django.forms.models import ModelChoiceIterator


def _choices(self: ModelChoiceIterator) -> Iterator[tuple[Any, Any]]:
    if self.field.empty_label is not None:
        yield ("", self.field.empty_label)
    for obj in self.queryset.all():
        yield self.choice(obj)


def read_choices_in_one_query() -> None:
    """For every model select: Django's forms, django-filter's and the admin's."""
    ModelChoiceIterator.__iter__ = _choices  # type: ignore[method-assign]
