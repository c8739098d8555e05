"""A model select reads its choices in one query (turvaportaal/lib/choices.py)."""

from unittest import mock

import django_filters
import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from programme.models import County, Municipality


class CountyForm(forms.Form):
    county = forms.ModelChoiceField(County.objects.order_by("name"), empty_label="Any")


class CountyFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(
        queryset=County.objects.order_by("name"), null_label="Without a county"
    )

    class Meta:
        model = Municipality
        fields = ["county"]


@pytest.mark.django_db
def test_a_select_reads_its_choices_in_one_query_without_a_server_side_cursor():
    counties = list(County.objects.order_by("name"))
    assert len(counties) > 1
    with (
        mock.patch.object(connection, "chunked_cursor", wraps=connection.chunked_cursor) as chunked,
        CaptureQueriesContext(connection) as queries,
    ):
        select = str(CountyForm()["county"])
    assert len(queries) == 1, queries.captured_queries
    chunked.assert_not_called()
    shown = [f'<option value="{c.pk}">{escape(c.name)}</option>' for c in counties]
    assert '<option value="" selected>Any</option>' in select
    assert [select.index(option) for option in shown] == sorted(
        select.index(option) for option in shown
    )


@pytest.mark.django_db
def test_each_reading_is_fresh_as_in_django():
    field = CountyForm().fields["county"]
    assert len(list(field.choices)) == County.objects.count() + 1
    County.objects.create(ehak_code="9999", name="Uus maakond", participant_limit=1)
    assert "Uus maakond" in [label for _value, label in field.choices]


@pytest.mark.django_db
def test_the_filters_empty_and_null_choices_come_first(in_english):
    choices = list(CountyFilter().form.fields["county"].choices)
    assert [label for _value, label in choices[:2]] == ["All", "Without a county"]
    assert len(choices) == County.objects.count() + 2
