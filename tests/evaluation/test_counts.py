"""Ringist Välja and STAD counts: recorded by the municipality each quarter, counts only, shown
in the plan's progress, on the programme page and in both PDFs."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.services import start_plan
from audit.models import AuditEvent
from evaluation.models import QuarterlyCounts
from reports.documents import municipality_report, programme_report
from tests.counselling.conftest import make_participation

pytestmark = pytest.mark.django_db

FIGURES = {
    "cases_started": "3",
    "cases_closed": "1",
    "network_meetings": "4",
    "specialists_trained": "12",
    "sellers_trained": "25",
    "sales_checks": "6",
    "nightlife_events": "2",
}


@pytest.fixture
def participation(kov_a):
    return make_participation(kov_a)


def quarter_of(participation) -> str:
    start = participation.start_on
    return date(start.year, 3 * ((start.month - 1) // 3) + 1, 1).isoformat()


def test_the_municipality_records_a_quarter_and_corrects_it(client_for, kov_a, participation):
    client = client_for(kov_a, "en")
    url = reverse("participation_counts", args=[participation.pk])
    quarter = quarter_of(participation)
    response = client.post(url, {"quarter": quarter, **FIGURES})
    assert response.status_code == 302
    client.post(url, {"quarter": quarter, **FIGURES, "cases_closed": "2"})
    counts = QuarterlyCounts.objects.get()
    assert (counts.cases_started, counts.cases_closed, counts.sellers_trained) == (3, 2, 25)
    changes = AuditEvent.objects.about(counts).order_by("pk")
    assert [event.before for event in changes][0] is None
    assert changes.last().before["cases_closed"] == 1
    assert changes.last().after["cases_closed"] == 2
    html = client.get(url).content.decode()
    assert f'data-quarter="{quarter}"' in html and "data-total" in html


def test_the_form_refuses_free_text_and_keeps_what_was_typed(client_for, kov_a, participation):
    client = client_for(kov_a, "en")
    url = reverse("participation_counts", args=[participation.pk])
    response = client.post(
        url, {"quarter": quarter_of(participation), **FIGURES, "cases_started": "Mari, 15"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a whole number." in html
    assert 'value="Mari, 15"' in html and 'value="25"' in html
    assert not QuarterlyCounts.objects.exists()
    negative = client.post(
        url, {"quarter": quarter_of(participation), **FIGURES, "nightlife_events": "-1"}
    )
    assert "greater than or equal to 0" in negative.content.decode()
    future = client.post(url, {"quarter": "2099-01-01", **FIGURES})
    assert "Select a valid choice" in future.content.decode()
    assert not QuarterlyCounts.objects.exists()


def test_a_closed_participation_takes_no_counts(client_for, kov_a, participation):
    participation.closed_at = timezone.now()
    participation.save()
    client = client_for(kov_a, "en")
    url = reverse("participation_counts", args=[participation.pk])
    html = client.get(url).content.decode()
    assert "data-not-now" in html and 'id="counts-form"' not in html
    response = client.post(url, {"quarter": quarter_of(participation), **FIGURES})
    assert "the participation is closed" in response.content.decode()
    assert not QuarterlyCounts.objects.exists()


def test_the_counts_show_in_the_plan_the_programme_page_and_both_pdfs(
    client_for, kov_a, ministry, participation, in_english
):
    QuarterlyCounts.objects.create(
        participation=participation,
        quarter_start_on=date.fromisoformat(quarter_of(participation)),
        cases_started=3,
        nightlife_events=2,
    )
    plan = start_plan(participation=participation)
    progress = client_for(kov_a, "en").get(reverse("plan_updates", args=[plan.pk]))
    assert "data-plan-counts" in progress.content.decode()
    page = client_for(ministry, "en").get(reverse("dashboard")).content.decode()
    assert "data-programme-counts" in page and "Rapla vald" in page
    today = timezone.localdate()
    period = {"period_start": participation.start_on, "period_end": today}
    assert "data-programme-counts" in programme_report(**period).html
    own = municipality_report(participation=participation, **period).html
    assert 'id="counts"' in own and "data-counts" in own
