"""The filters of list pages. A list page shows its filter on every request, so the filter's
fields are made cheap here: Bootstrap's classes are set on the widgets, and
templates/includes/filter_field.html writes each with its label and errors (crispy's field
templates cost a list more than its rows), and a select of rows reads them in one query."""

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


def _bootstrap_class(widget: forms.Widget, invalid: bool) -> None:
    for part in getattr(widget, "widgets", None) or [widget]:
        css = "form-select" if isinstance(part, forms.Select) else "form-control"
        part.attrs["class"] = f"{css} is-invalid" if invalid else css


class FilterSet(django_filters.FilterSet):
    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            form = super().form
            invalid = form.errors if form.is_bound else {}
            for name, field in form.fields.items():
                _bootstrap_class(field.widget, name in invalid)
                if isinstance(field, forms.ModelChoiceField):
                    field.iterator = OneQueryChoiceIterator
                    field.widget.choices = field.choices  # the widget took the field's first
        return self._form
