"""The final report's pages: the figures recomputed another way, the draft, check answers and
confirmation, the ministry's decision, the practice button and the closing."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Measurement, PlanIndicator
from closing import services
from closing.models import FinalReport
from grants import services as grants
from practices.models import Practice
from programme.models import Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def spent(participation, kov_a, ministry):
    """Expenditures on both lines: one approved, one waiting, one rejected, one reversed."""
    staff, training = participation.budget_lines.all()[:2]

    def spend(line, amount, number):
        return grants.record_expenditure(
            participation=participation,
            budget_line=line,
            amount=Decimal(amount),
            entry_on=timezone.localdate(),
            description="Kulu",
            supplier="Tarnija",
            invoice_number=number,
            document=None,
            user=kov_a,
        )

    approved = spend(staff, "1200.50", "1")
    grants.review_expenditure(entry=approved, approve=True, reason="", user=ministry)
    spend(staff, "300.25", "2")
    rejected = spend(training, "999.00", "3")
    grants.review_expenditure(entry=rejected, approve=False, reason="Ei sobi", user=ministry)
    reversed_entry = spend(training, "50.00", "4")
    grants.reverse_entry(entry=reversed_entry, reason="Topelt", user=kov_a)
    spend(training, "75.10", "5")


def test_the_figures_on_the_page_match_the_ledger_and_the_measurements(
    client_for, participation, plan, spent, kov_a
):
    page = client_for(kov_a, "en").get(reverse("final_report", args=[participation.pk])).content
    shown = dict(re.findall(rb'data-line="(\d+)">.*?data-spent="([\d.]+)"', page, re.S))
    # Spent another way: plain SQL over the ledger, the rules of what counts written out.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT e.budget_line_id, SUM(COALESCE(r.accepted_amount, e.amount))
            FROM grants_ledgerentry e
            LEFT JOIN grants_expenditurereview r ON r.entry_id = e.id
            WHERE e.participation_id = %s AND e.kind = 'expenditure'
              AND (r.id IS NULL OR r.is_approved)
              AND NOT EXISTS (SELECT 1 FROM grants_ledgerentry x WHERE x.reverses_id = e.id)
            GROUP BY e.budget_line_id
            """,
            [participation.pk],
        )
        expected = {str(line).encode(): total for line, total in cursor.fetchall()}
    assert {k: Decimal(v.decode()) for k, v in shown.items() if k in expected} == expected
    assert expected == {
        str(line.pk).encode(): amount
        for line, amount in zip(
            participation.budget_lines.all()[:2],
            (Decimal("1500.75"), Decimal("75.10")),
            strict=True,
        )
    }
    # Progress another way: the last measurement's way from the baseline to the target.
    percents = [int(p) for p in re.findall(rb'data-percent="(-?\d*)"', page) if p]
    wanted = []
    for monitored in PlanIndicator.objects.filter(plan=plan).values():
        values = Measurement.objects.filter(plan_indicator_id=monitored["id"]).order_by(
            "measured_on"
        )
        if values:
            last = values.last().value
            share = (last - monitored["baseline_value"]) / (
                monitored["target_value"] - monitored["baseline_value"]
            )
            wanted.append(round(share * 100))
    assert percents == wanted == [70]
    assert b"not measured" in page


def test_the_report_is_written_checked_and_submitted(client_for, participation, plan, kov_a):
    client = client_for(kov_a, "en")
    page = client.get(reverse("final_report_edit", args=[participation.pk])).content.decode()
    assert "Koolitus" in page and "Naabrivalve" in page
    assert FinalReport.objects.count() == 0  # a GET starts nothing
    activities = list(plan.activities.order_by("pk"))
    data = {
        "continuation": "Jätkame.",
        "lessons": "Alustage andmetest.",
        f"done_{activities[0].pk}": "on",
        f"comment_{activities[1].pk}": "Vabatahtlikke ei leitud.",
        "check": "1",
    }
    response = client.post(reverse("final_report_edit", args=[participation.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("final_report_check", args=[participation.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Vabatahtlikke ei leitud." in page and "Submit the final report" in page
    response = client.post(reverse("final_report_check", args=[participation.pk]))
    assert response["Location"] == reverse("final_report_submitted", args=[participation.pk])
    assert "Final report submitted" in client.get(response["Location"]).content.decode()
    assert FinalReport.objects.get().status == FinalReport.Status.SUBMITTED


def test_an_invalid_draft_keeps_what_was_typed(client_for, participation, plan, kov_a):
    client = client_for(kov_a, "en")
    response = client.post(
        reverse("final_report_edit", args=[participation.pk]),
        {"continuation": "x" * 10_001, "lessons": "Minu õppetunnid"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Minu õppetunnid" in page
    assert FinalReport.objects.count() == 0


def test_check_answers_lists_what_is_missing(client_for, participation, plan, kov_a):
    services.start_report(participation=participation, user=kov_a)
    client = client_for(kov_a, "en")
    response = client.post(reverse("final_report_check", args=[participation.pk]))
    assert response.status_code == 200
    assert "Answer every question of the report first." in response.content.decode()
    assert FinalReport.objects.get().status == FinalReport.Status.DRAFT


def test_only_the_municipality_writes(client_for, participation, plan, provider, ministry, kov_b):
    url = reverse("final_report_edit", args=[participation.pk])
    assert client_for(provider).get(url).status_code == 403
    assert client_for(ministry).get(url).status_code == 403
    assert client_for(kov_b).get(url).status_code == 404


def test_the_ministry_returns_and_approves_on_its_page(
    client_for, participation, plan, kov_a, ministry
):
    report = services.start_report(participation=participation, user=kov_a)
    services.save_report(
        report=report,
        continuation="Jah",
        lessons="Jah",
        results={a.pk: (True, "") for a in plan.activities.all()},
        user=kov_a,
    )
    services.submit_report(report=report, user=kov_a)
    client = client_for(ministry, "en")
    url = reverse("final_report_decide", args=[participation.pk])
    assert client_for(kov_a).get(url).status_code == 403
    response = client.post(url, {"return": "1", "comment": ""})
    assert response.status_code == 200 and "Write what should change." in response.content.decode()
    response = client.post(url, {"return": "1", "comment": "Lisage numbrid."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == FinalReport.Status.RETURNED
    assert (
        "Lisage numbrid."
        in client_for(kov_a, "en")
        .get(reverse("final_report", args=[participation.pk]))
        .content.decode()
    )
    services.submit_report(report=report, user=kov_a)
    assert client.post(url, {"approve": "1"}).status_code == 302
    report.refresh_from_db()
    assert report.status == FinalReport.Status.APPROVED
    close = reverse("participation_close", args=[participation.pk])
    assert client_for(kov_a).post(close).status_code == 403
    assert client.post(close).status_code == 302
    assert Participation.objects.get(pk=participation.pk).is_closed
    page = client.get(reverse("final_report", args=[participation.pk])).content.decode()
    assert "read-only" in page


def test_the_lessons_become_a_practice_draft(client_for, participation, plan, kov_a):
    report = services.start_report(participation=participation, user=kov_a)
    services.save_report(report=report, continuation="", lessons="Õppetund", results={}, user=kov_a)
    client = client_for(kov_a)
    url = reverse("final_report_practice", args=[participation.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    practice = Practice.objects.get(pk=FinalReport.objects.get().practice_id)
    assert response["Location"] == reverse("practice_edit", args=[practice.pk])
    assert practice.description == "Õppetund"


def test_the_participation_list_shows_the_stage_and_links_the_report(
    client_for, participation, ministry
):
    page = client_for(ministry, "en").get(reverse("participation_list")).content.decode()
    assert "agreement" in page
    assert reverse("final_report", args=[participation.pk]) in page


def test_the_report_page_before_the_report_starts(client_for, participation, plan, ministry):
    page = client_for(ministry, "en").get(reverse("final_report", args=[participation.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "not started" in text and "Koolitus" in text
    assert reverse("final_report_decide", args=[participation.pk]) not in text
