"""The base of the list pages' filters. A list shows its filter on every request, so the
filter's selects of rows read them in one query (their fields are drawn by
templates/forms/field.html, turvaportaal.lib.forms). Their dates are the forms' dates
(turvaportaal.lib.dates): the same years, typed the same way."""

from collections.abc import Iterator
from typing import Any

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django_filters.fields import DateRangeField as DjangoFilterDateRangeField
from django_filters.fields import RangeField
from django_filters.widgets import DateRangeWidget as DjangoFilterDateRangeWidget

from turvaportaal.lib.dates import DateField, DateTimeField
from turvaportaal.lib.widgets import DateInput


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


class DateRangeWidget(DjangoFilterDateRangeWidget):
    """django-filter's two text boxes as the portal's date inputs, which say the format."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.widgets = [DateInput(), DateInput()]


class DateRangeField(DjangoFilterDateRangeField):
    """From and to (either may be left empty), each a date of the portal."""

    widget = DateRangeWidget

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        RangeField.__init__(self, (DateField(), DateField()), *args, **kwargs)


# The portal's own field for each of django-filter's, so that no filter takes a date of its own.
PORTAL_DATES: dict[type[forms.Field], type[forms.Field]] = {
    DjangoFilterDateRangeField: DateRangeField,
    forms.DateField: DateField,
    forms.DateTimeField: DateTimeField,
}


class FilterSet(django_filters.FilterSet):
    # The ids of the filter's inputs; a page that also holds a form with fields of the same
    # names gives its filter others, so that each label and error link finds its own input.
    auto_id = "id_%s"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            filter_.field_class = PORTAL_DATES.get(filter_.field_class, filter_.field_class)

    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            for field in super().form.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.iterator = OneQueryChoiceIterator
                    field.widget.choices = field.choices  # the widget took the field's first
            self._form.auto_id = self.auto_id
        return self._form
