"""The dates a form or a list filter takes: only in the years a programme can have, typed as the
page's language writes them (turvaportaal/formats; the inputs are turvaportaal.lib.widgets').

A date far outside them, year 1 typed by mistake, would be saved and then break every page that
turns it into UTC or counts from it. Every date of a form is one of these fields (a ModelForm
names them in Meta.field_classes), and turvaportaal.lib.filters gives them to the filters;
tests/test_field_limits.py checks each form."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from turvaportaal.lib.widgets import DateInput, DateTimeInput

FIRST_YEAR = 2000
LAST_YEAR = 2100


def in_programme_years(value: date) -> None:
    """A date or a time (its year where it was typed, Estonian time) within the years."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Give a date between the years %(first)s and %(last)s."),
            code="year",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class DateField(forms.DateField):
    widget = DateInput
    default_validators = [in_programme_years]


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    default_validators = [in_programme_years]
