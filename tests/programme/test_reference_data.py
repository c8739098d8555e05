import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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


@pytest.mark.parametrize(
    "model",
    [
        "county",
        "municipality",
        "partneragency",
        "serviceprovider",
        "participation",
        "call",
        "cohort",
    ],
)
def test_administrators_keep_the_frame_in_django_admin_as_the_rules_allow(model, admin, client_for):
    """programme/rules.py lets the administrators change these; the admin asks it."""
    client = client_for(admin)
    assert client.get(reverse(f"admin:programme_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:programme_{model}_add")).status_code == 200


def test_the_admin_asks_the_rule_and_refuses_what_it_refuses(admin, rf, monkeypatch):
    from django.contrib import admin as django_admin

    from programme import rules
    from turvaportaal.lib.rules import forbidden

    request = rf.get("/")
    request.user = admin
    county_admin = django_admin.site.get_model_admin(County)
    assert county_admin.has_change_permission(request)
    monkeypatch.setattr(rules, "may_edit_reference_data", lambda user: forbidden("ei"))
    assert not county_admin.has_change_permission(request)
    assert not county_admin.has_add_permission(request)
    assert not county_admin.has_delete_permission(request)
