"""The list pages' filters (turvaportaal/lib/filters.py)."""

from unittest import mock

import django_filters
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from programme.models import County, Municipality
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
