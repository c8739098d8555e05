import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programme.models import County, Municipality
from programme.reference import load_estonia

pytestmark = pytest.mark.django_db


def test_estonia_has_15_counties_and_79_municipalities():
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 79
    assert Municipality.objects.filter(kind=Municipality.Kind.CITY).count() == 15
    assert Municipality.objects.filter(kind=Municipality.Kind.RURAL).count() == 64


def test_every_county_has_municipalities():
    assert not County.objects.filter(municipalities__isnull=True).exists()


def test_harju_and_ida_viru_are_the_counties_allowed_two_participants():
    allowed_two = County.objects.filter(participant_limit=2).values_list("name", flat=True)
    assert sorted(allowed_two) == ["Harju maakond", "Ida-Viru maakond"]
    assert set(
        County.objects.exclude(participant_limit=2).values_list("participant_limit", flat=True)
    ) == {1}


def test_ehak_codes_keep_their_leading_zero():
    rapla = Municipality.objects.get(name="Rapla vald")
    assert rapla.ehak_code == "0668"
    assert rapla.county.ehak_code == "0071"


def test_loading_again_changes_nothing():
    load_estonia(County, Municipality)
    load_estonia(County, Municipality)
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 79


def test_loading_again_restores_what_was_changed_or_removed_in_a_few_queries():
    rapla = Municipality.objects.get(ehak_code="0668")
    Municipality.objects.filter(pk=rapla.pk).update(name="Muudetud", population=1)
    County.objects.filter(ehak_code="0071").update(participant_limit=9)
    Municipality.objects.filter(ehak_code="0296").delete()
    with CaptureQueriesContext(connection) as queries:
        load_estonia(County, Municipality)
    assert len(queries) <= 8
    rapla.refresh_from_db()
    assert (rapla.name, rapla.county.participant_limit) == ("Rapla vald", 1)
    assert rapla.population != 1  # the file's figure
    assert Municipality.objects.get(ehak_code="0296").name == "Keila linn"
    assert Municipality.objects.count() == 79
