import pytest

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
