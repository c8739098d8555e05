"""The base of the list pages' filters. A list shows its filter on every request, so the
filter's selects of rows read them in one query (their fields are drawn by
templates/forms/field.html, turvaportaal.lib.forms)."""

from collections.abc import Iterator
from typing import Any

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator


class _RowsInOneQuery(ModelChoiceIterator):
    """Django reads a select's rows with QuerySet.iterator(): on PostgreSQL a server-side
    cursor, four round trips. A select shows every row it reads, so one plain query costs no
    more memory."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.queryset.all():
            yield self.choice(row)


class OneQueryChoiceIterator(django_filters.fields.ModelChoiceIterator, _RowsInOneQuery):
    """django-filter's, which adds the null choice, over the rows read in one query."""


class FilterSet(django_filters.FilterSet):
    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            for field in super().form.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.iterator = OneQueryChoiceIterator
                    field.widget.choices = field.choices  # the widget took the field's first
        return self._form
