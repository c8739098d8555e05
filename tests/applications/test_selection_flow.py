"""From results to cohorts: the proposal, the ministry's confirmation, and the two stages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.formats import date_format

from applications import evaluation
from applications.models import SelectionDecision, Status
from programme.models import Cohort, Municipality, Participation
from programme.selection import Reason
from tests.factories import CallFactory, scored, under_evaluation

pytestmark = pytest.mark.django_db


def closed_call(stage, years):
    return CallFactory(
        stage=stage,
        opens_at=timezone.now() - timedelta(days=60),
        deadline_at=timezone.now() - timedelta(days=1),
        years=years,
    )


def apply(call, evaluator, results):
    """Applications under evaluation with the given results: {municipality name: (score, year)}."""
    applications = {}
    for name, (score, year) in results.items():
        application = under_evaluation(
            call, Municipality.objects.get(name=name), preferred_year=year
        )
        scored(application, evaluator, score)
        applications[name] = application
    return applications


STAGE_I = {
    "Tallinn": (5, 2023),
    "Keila linn": (4, 2023),  # Harju's second place
    "Harku vald": (3, 2023),  # Harju is full
    "Narva linn": (5, 2023),
    "Kohtla-Järve linn": (5, 2024),
    "Sillamäe linn": (4, 2024),  # Ida-Viru is full
    "Rapla vald": (4, 2024),
    "Elva vald": (4, 2024),
    "Tartu linn": (3, 2024),  # Tartu county taken by Elva
    "Saaremaa vald": (3, 2023),
    "Viljandi linn": (2, 2023),  # the eighth place
}


def test_stage_one_fills_eight_places_and_stage_two_respects_the_counties_taken(
    ministry, django_capture_on_commit_callbacks, in_english
):
    stage_one = closed_call(1, {2023: 4, 2024: 4})
    apply(stage_one, ministry, STAGE_I)
    proposal, rules, applications = evaluation.current_proposal(stage_one)
    selected = {o.candidate.name: o.year for o in proposal.selected}
    assert set(selected) == {
        "Tallinn",
        "Keila linn",
        "Narva linn",
        "Kohtla-Järve linn",
        "Rapla vald",
        "Elva vald",
        "Saaremaa vald",
        "Viljandi linn",
    }
    reasons = {o.candidate.name: o.reason for o in proposal.outcomes}
    assert reasons["Harku vald"] is Reason.COUNTY_FILLED
    assert reasons["Sillamäe linn"] is Reason.COUNTY_FILLED
    assert reasons["Tartu linn"] is Reason.COUNTY_FILLED
    assert sorted(selected.values()) == [2023] * 4 + [2024] * 4
    assert selected["Kohtla-Järve linn"] == 2024  # its preferred year

    with django_capture_on_commit_callbacks(execute=True):
        evaluation.confirm_selection(call=stage_one, start_years={}, reasons={}, user=ministry)
    assert Participation.objects.count() == 8
    assert set(Cohort.objects.values_list("start_year", flat=True)) == {2023, 2024}
    assert all(c.participations.count() == 4 for c in Cohort.objects.all())
    assert len(mail.outbox) == len(STAGE_I)
    tallinn = next(m for m in mail.outbox if "Tallinn" in m.subject)
    decision = stage_one.applications.get(municipality__name="Tallinn").decision
    with translation.override("et"):
        result = formats.localize(decision.result.quantize(Decimal("0.01")))
        last_day = date_format(timezone.localdate() + timedelta(days=30), "DATE_FORMAT")
    assert f"{result} punkti" in tallinn.body
    assert "info@siseministeerium.ee" in tallinn.body and last_day in tallinn.body
    assert stage_one.applications.filter(status=Status.SELECTED).count() == 8
    assert stage_one.applications.filter(status=Status.NOT_SELECTED).count() == 3

    stage_two = closed_call(2, {2025: 4, 2026: 4})
    apply(
        stage_two,
        ministry,
        {
            "Harku vald": (5, 2025),  # Harju: two taken in stage I
            "Tartu linn": (5, 2025),  # Tartu: taken
            "Hiiumaa vald": (4, 2025),
            "Paide linn": (4, 2026),
        },
    )
    proposal, rules, applications = evaluation.current_proposal(stage_two)
    outcome = {o.candidate.name: o for o in proposal.outcomes}
    assert outcome["Harku vald"].reason is Reason.COUNTY_TAKEN_EARLIER
    assert set(outcome["Harku vald"].ahead) == {"Tallinn", "Keila linn"}
    assert outcome["Tartu linn"].reason is Reason.COUNTY_TAKEN_EARLIER
    assert {o.candidate.name for o in proposal.selected} == {"Hiiumaa vald", "Paide linn"}


def test_the_ministry_changes_the_proposal_only_with_a_reason(ministry, client_for):
    call = closed_call(2, {2025: 1})
    applications = apply(call, ministry, {"Paide linn": (5, 2025), "Hiiumaa vald": (4, 2025)})
    client = client_for(ministry, "en")
    paide, hiiumaa = applications["Paide linn"], applications["Hiiumaa vald"]
    swap = {f"year_{paide.pk}": "", f"year_{hiiumaa.pk}": "2025"}
    response = client.post(reverse("selection", args=[call.pk]), swap)
    assert (
        "Give a reason for each change to the proposal: Paide linn, Hiiumaa vald."
        in response.content.decode()
    )
    assert not SelectionDecision.objects.exists()

    swap |= {f"reason_{paide.pk}": "Loobus", f"reason_{hiiumaa.pk}": "Paide loobus"}
    response = client.post(reverse("selection", args=[call.pk]), swap)
    assert response.status_code == 200  # the page that asks, before anything is decided
    assert not SelectionDecision.objects.exists()
    response = client.post(reverse("selection", args=[call.pk]), swap | {"confirm": "1"})
    assert response.status_code == 302
    decision = SelectionDecision.objects.get(application=hiiumaa)
    assert decision.start_year == 2025 and decision.proposed_start_year is None
    assert decision.change_reason == "Paide loobus" and decision.is_change
    assert Participation.objects.get().municipality.name == "Hiiumaa vald"


def test_a_change_that_breaks_a_rule_is_named_and_needs_confirming(ministry, client_for):
    call = closed_call(2, {2025: 1})
    applications = apply(call, ministry, {"Paide linn": (5, 2025), "Hiiumaa vald": (4, 2025)})
    hiiumaa = applications["Hiiumaa vald"]
    data = {
        f"year_{applications['Paide linn'].pk}": "2025",
        f"year_{hiiumaa.pk}": "2025",
        f"reason_{hiiumaa.pk}": "Mõlemad",
    }
    client = client_for(ministry, "en")
    response = client.post(reverse("selection", args=[call.pk]), data)
    assert "2 selected to start in 2025, but it has 1 places." in response.content.decode()
    assert not Participation.objects.exists()
    accepted = data | {"accept_warnings": "on"}
    response = client.post(reverse("selection", args=[call.pk]), accepted)
    assert "Confirm the selection?" in response.content.decode()
    assert not Participation.objects.exists()
    response = client.post(reverse("selection", args=[call.pk]), accepted | {"confirm": "1"})
    assert response.status_code == 302
    assert Participation.objects.count() == 2


def test_the_selection_page_explains_and_shows_the_map(ministry, client_for):
    call = closed_call(1, {2023: 1})
    apply(call, ministry, {"Tallinn": (5, 2023), "Keila linn": (3, 2023)})
    page = client_for(ministry, "en").get(reverse("selection", args=[call.pk])).content.decode()
    assert "Selected, rank 1, starts in 2023." in page
    assert "Not selected: all places (2023: 1) went to applications with higher results." in page
    assert 'class="county county-applied"' in page and "Harju" in page


def test_the_selection_waits_until_every_application_is_scored(ministry, in_english):
    call = closed_call(2, {2025: 1})
    apply(call, ministry, {"Paide linn": (5, 2025)})
    under_evaluation(call, Municipality.objects.get(name="Hiiumaa vald"))
    with pytest.raises(ValidationError, match="Not every application is scored yet: Hiiumaa vald."):
        evaluation.confirm_selection(call=call, start_years={}, reasons={}, user=ministry)


def test_the_public_map_colours_counties_without_naming_applicants(client, ministry):
    call = closed_call(2, {2025: 1})
    apply(call, ministry, {"Paide linn": (5, 2025)})
    page = client.get(reverse("programme_overview")).content.decode()
    assert 'class="county county-applied"' in page
    assert "Paide linn" not in page
