"""The list pages' filters (turvaportaal/lib/filters.py)."""

import importlib
import inspect
from datetime import date
from html.parser import HTMLParser
from unittest import mock

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django.utils.translation import override

from learning.models import Training
from programme.models import County, Municipality
from tests.learning.conftest import make_training
from turvaportaal.lib.filters import FilterSet

pytestmark = pytest.mark.django_db


class CountyFilter(FilterSet):
    county = django_filters.ModelChoiceFilter(
        queryset=County.objects.order_by("name"), null_label="Without a county"
    )
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Municipality
        fields = ["county", "name"]


def test_a_select_reads_its_rows_in_one_query_without_a_server_side_cursor(in_english):
    counties = list(County.objects.order_by("name"))
    with (
        mock.patch.object(connection, "chunked_cursor", wraps=connection.chunked_cursor) as chunked,
        CaptureQueriesContext(connection) as queries,
    ):
        select = str(CountyFilter().form["county"])
    assert len(queries) == 1, queries.captured_queries
    chunked.assert_not_called()
    shown = [f'<option value="{c.pk}">{escape(c.name)}</option>' for c in counties]
    assert [select.index(option) for option in shown] == sorted(map(select.index, shown))
    # The filter's empty and null choices first, then every county; a new one is read anew.
    choices = list(CountyFilter().form.fields["county"].choices)
    assert [label for _value, label in choices[:2]] == ["All", "Without a county"]
    County.objects.create(ehak_code="9999", name="Uus maakond", participant_limit=1)
    assert len(list(CountyFilter().form.fields["county"].choices)) == len(counties) + 3


# ---------------------------------------------------------------------------------------------
# Dates: as the forms take them (turvaportaal/lib/dates.py)
# ---------------------------------------------------------------------------------------------


class TrainingDates(FilterSet):
    starts_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Training
        fields = ["starts_on"]


class Inputs(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: dict[str, dict[str, str | None]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "input" and named.get("name"):
            self.found[str(named["name"])] = named


def test_a_date_filter_takes_and_shows_estonian_dates_and_refuses_month_first_ones():
    june = make_training(starts_on=date(2025, 6, 1))
    make_training(starts_on=date(2025, 5, 31))
    with override("et"):
        dates = TrainingDates({"starts_on_after": "01.06.2025"}, queryset=Training.objects.all())
        assert list(dates.qs) == [june]
        inputs = Inputs(str(dates.form["starts_on"])).found
        month_first = TrainingDates({"starts_on_after": "06/01/2025"})
        assert not month_first.is_valid()
    assert inputs["starts_on_after"]["type"] == "text"
    assert inputs["starts_on_after"]["value"] == "01.06.2025"
    assert "value" not in inputs["starts_on_before"]


def test_an_english_date_filter_takes_djangos_english_dates():
    with override("en"):
        dates = TrainingDates({"starts_on_before": "06/01/2025"})
        assert dates.is_valid()
        assert dates.form.cleaned_data["starts_on"].stop.date() == date(2025, 6, 1)
        inputs = Inputs(str(dates.form["starts_on"])).found
    assert inputs["starts_on_after"]["placeholder"] == "yyyy-mm-dd"


def test_a_date_filter_refuses_year_1_with_the_forms_message():
    with override("en"):
        dates = TrainingDates({"starts_on_after": "0001-01-01"})
        assert not dates.is_valid()
        assert dates.errors["starts_on"] == ["Give a date between the years 2000 and 2100."]


def the_portals_filtersets() -> list[type[FilterSet]]:
    """Every FilterSet of the apps' filters modules."""
    found = []
    for config in apps.get_app_configs():
        if config.path.rsplit("/", 1)[0] != str(settings.BASE_DIR):
            continue
        try:
            module = importlib.import_module(f"{config.name}.filters")
        except ModuleNotFoundError:
            continue
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, FilterSet)
            and value.__module__ == module.__name__
        ]
    return found


def test_every_filters_dates_are_the_portals(admin):
    """No list takes a date outside the programme's years, however its filter declares it."""
    checked = []
    for filterset in the_portals_filtersets():
        takes_user = "user" in inspect.signature(filterset.__init__).parameters
        form = (filterset(user=admin) if takes_user else filterset()).form
        for name, field in form.fields.items():
            parts = getattr(field, "fields", [field])
            if not all(isinstance(part, forms.DateField | forms.DateTimeField) for part in parts):
                continue
            checked.append(f"{filterset.__name__}.{name}")
            with pytest.raises(ValidationError) as refused:
                field.clean([date(1, 1, 1)] * len(parts) if parts != [field] else date(1, 1, 1))
            assert refused.value.error_list[0].code == "year", checked[-1]
    assert {"SessionFilter.held_on", "EntryFilter.entry_on", "EventFilter.at"} <= set(checked)
