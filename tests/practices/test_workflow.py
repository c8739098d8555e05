"""Describing, submitting, publishing and returning practices, as rules of the workflows."""

import pytest
from django.core.exceptions import ValidationError

from practices import services
from practices.models import Approach, JointForm, Practice
from programme.models import County, Municipality, PartnerAgency
from tests.conftest import KEILA_LINN
from tests.practices.conftest import make_practice
from turvaportaal.lib.rules import Forbidden

pytestmark = pytest.mark.django_db


def data(**fields):
    values = {
        "title": "Kooliõue valgustus",
        "place": "Rapla linn",
        "joint_form": JointForm.COORDINATION,
        "approach": Approach.SITUATIONAL,
        "description": "Kooliõue pimedad nurgad valgustati koos kooli ja politseiga.",
        "results": "",
        "other_partners": "",
        "contact": "",
        "source": "",
        "partners": PartnerAgency.objects.filter(code__in=["ppa", "schools"]),
    }
    values.update(fields)
    return values


def test_a_municipality_describes_a_practice_of_its_own(kov_a):
    keila = Municipality.objects.get(ehak_code=KEILA_LINN)
    practice = services.save_practice(
        user=kov_a, data=data(county=keila.county, municipalities=[keila])
    )
    assert practice.status == Practice.Status.DRAFT
    assert practice.municipality == kov_a.municipality
    assert practice.county.name == "Rapla maakond"
    assert list(practice.municipalities.all()) == [kov_a.municipality]
    assert practice.created_by == kov_a
    assert set(practice.partners.values_list("code", flat=True)) == {"ppa", "schools"}


def test_providers_describe_no_practices(provider, in_english):
    with pytest.raises(Forbidden, match="Only municipalities and ministry staff"):
        services.save_practice(user=provider, data=data())
    assert not Practice.objects.filter(title="Kooliõue valgustus").exists()


def test_ministry_municipalities_must_be_in_the_county(ministry, in_english):
    harju = County.objects.get(ehak_code="0037")
    rapla = Municipality.objects.get(ehak_code="0668")
    with pytest.raises(ValidationError, match="Not in the practice's county: Rapla vald."):
        services.save_practice(user=ministry, data=data(county=harju, municipalities=[rapla]))
    assert not Practice.objects.filter(title="Kooliõue valgustus").exists()


def test_the_whole_way_to_publishing(kov_a, ministry):
    practice = services.save_practice(user=kov_a, data=data())
    services.submit_practice(practice=practice, user=kov_a)
    practice.refresh_from_db()
    assert practice.status == Practice.Status.SUBMITTED
    assert practice.submitted_at is not None
    services.return_practice(practice=practice, user=ministry, comment="Lisa tulemused.")
    practice.refresh_from_db()
    assert (practice.status, practice.return_comment) == (
        Practice.Status.RETURNED,
        "Lisa tulemused.",
    )
    services.save_practice(
        user=kov_a, data=data(results="Kaebusi tuli poole vähem."), practice=practice
    )
    services.submit_practice(practice=practice, user=kov_a)
    services.publish_practice(practice=practice, user=ministry)
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED
    assert practice.published_by == ministry
    assert practice.published_at is not None
    assert practice.return_comment == ""
    assert practice.results == "Kaebusi tuli poole vähem."


def test_a_draft_cannot_be_published(ministry, draft_of_a, in_english):
    with pytest.raises(ValidationError, match="Only a practice submitted for publishing"):
        services.publish_practice(practice=draft_of_a, user=ministry)
    draft_of_a.refresh_from_db()
    assert draft_of_a.status == Practice.Status.DRAFT


def test_returning_needs_a_comment(ministry, kov_a, in_english):
    practice = make_practice(kov_a, status=Practice.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="Write what should change."):
        services.return_practice(practice=practice, user=ministry, comment="  ")
    practice.refresh_from_db()
    assert practice.status == Practice.Status.SUBMITTED


def test_only_ministry_staff_publish(kov_a, in_english):
    practice = make_practice(kov_a, status=Practice.Status.SUBMITTED)
    with pytest.raises(Forbidden, match="Only ministry staff publish"):
        services.publish_practice(practice=practice, user=kov_a)


def test_a_municipality_does_not_change_its_published_practice(kov_a, in_english):
    practice = make_practice(kov_a, status=Practice.Status.PUBLISHED)
    with pytest.raises(ValidationError, match="changed by ministry staff"):
        services.save_practice(user=kov_a, data=data(title="Uus"), practice=practice)
    practice.refresh_from_db()
    assert practice.title == "Naabrivalve ümarlaud"


def test_ministry_changes_a_published_practice_and_it_stays_published(ministry, kov_a):
    practice = make_practice(kov_a, status=Practice.Status.PUBLISHED)
    services.save_practice(
        user=ministry,
        data=data(title="Parandatud", county=practice.county, municipalities=[]),
        practice=practice,
    )
    practice.refresh_from_db()
    assert (practice.title, practice.status) == ("Parandatud", Practice.Status.PUBLISHED)
    assert practice.municipality == kov_a.municipality


def test_a_municipality_does_not_submit_anothers_practice(kov_a, draft_of_b, in_english):
    with pytest.raises(Forbidden, match="Only the practice's municipality"):
        services.submit_practice(practice=draft_of_b, user=kov_a)


def test_unpublishing_makes_a_draft_that_only_its_keepers_see(ministry, kov_a, kov_b, provider):
    practice = make_practice(kov_a, status=Practice.Status.PUBLISHED)
    services.unpublish_practice(practice=practice, user=ministry)
    practice.refresh_from_db()
    assert practice.status == Practice.Status.DRAFT
    assert practice.published_at is None
    assert Practice.objects.visible_to(kov_a).filter(pk=practice.pk).exists()
    assert Practice.objects.visible_to(ministry).filter(pk=practice.pk).exists()
    assert not Practice.objects.visible_to(kov_b).filter(pk=practice.pk).exists()
    assert not Practice.objects.visible_to(provider).filter(pk=practice.pk).exists()
