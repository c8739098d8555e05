"""The final report from the first draft to the closed participation, through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actionplans.models import PlanRevision
from actionplans.services import start_plan
from audit.models import AuditEvent
from closing import services
from closing.models import FinalReport
from grants import services as grants
from grants.models import LedgerEntry
from notifications.models import Kind, Notification
from practices.models import Practice
from programme.models import Participation, Stage
from turvaportaal.lib.rules import Forbidden

pytestmark = pytest.mark.django_db


def written(participation, user) -> FinalReport:
    report = services.start_report(participation=participation, user=user)
    results = {r.activity_id: (True, "Tehtud") for r in report.results.all()}
    return services.save_report(
        report=report,
        continuation="Jätkame naabrivalvega.",
        lessons="Alustage andmetest.",
        results=results,
        user=user,
    )


def test_the_report_starts_prefilled_from_the_plans_activities(participation, plan, kov_a):
    report = services.start_report(participation=participation, user=kov_a)
    assert {(r.activity.title, r.is_done) for r in report.results.all()} == {
        ("Koolitus", True),
        ("Naabrivalve", False),
    }
    assert report.status == FinalReport.Status.DRAFT
    assert services.start_report(participation=participation, user=kov_a) == report


def test_only_the_municipality_writes_its_report(participation, plan, provider, ministry):
    for user in (provider, ministry):
        with pytest.raises(Forbidden):
            services.start_report(participation=participation, user=user)


def test_a_report_with_missing_answers_is_not_submitted(participation, plan, kov_a):
    report = services.start_report(participation=participation, user=kov_a)
    with pytest.raises(ValidationError):
        services.submit_report(report=report, user=kov_a)
    assert "Naabrivalve" in " ".join(report.missing_answers())


def test_submit_return_resubmit_approve_tells_each_side(
    participation, plan, kov_a, ministry, django_capture_on_commit_callbacks
):
    report = written(participation, kov_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(report=report, user=kov_a)
    assert Notification.objects.filter(
        recipient=ministry, kind=Kind.FINAL_REPORT_SUBMITTED
    ).exists()
    with pytest.raises(ValidationError):
        services.save_report(report=report, continuation="x", lessons="y", results={}, user=kov_a)
    with pytest.raises(ValidationError):
        services.return_report(report=report, comment="  ", user=ministry)
    services.return_report(report=report, comment="Lisage numbrid.", user=ministry)
    assert Notification.objects.filter(recipient=kov_a, kind=Kind.FINAL_REPORT_RETURNED).exists()
    report.refresh_from_db()
    assert report.status == FinalReport.Status.RETURNED
    services.save_report(
        report=report, continuation="Jätkame.", lessons="Numbrid loevad.", results={}, user=kov_a
    )
    services.submit_report(report=report, user=kov_a)
    services.approve_report(report=report, user=ministry)
    report.refresh_from_db()
    assert report.status == FinalReport.Status.APPROVED
    assert Notification.objects.filter(recipient=kov_a, kind=Kind.FINAL_REPORT_APPROVED).exists()
    details = list(
        AuditEvent.objects.filter(object_id=str(report.pk)).values_list("detail", flat=True)
    )
    for step in ("started", "saved", "submitted", "returned", "approved"):
        assert f"final report {step}" in details


def test_the_last_payment_waits_for_the_approved_report(participation, plan, kov_a, ministry):
    today = timezone.localdate()
    grants.record_disbursement(
        participation=participation,
        amount=Decimal("30000"),
        entry_on=today,
        tranche=1,
        user=ministry,
    )
    with pytest.raises(ValidationError, match="last payment"):
        grants.record_disbursement(
            participation=participation,
            amount=Decimal("5000"),
            entry_on=today,
            tranche=2,
            user=ministry,
        )
    report = written(participation, kov_a)
    services.submit_report(report=report, user=kov_a)
    with pytest.raises(ValidationError, match="last payment"):
        grants.record_disbursement(
            participation=participation,
            amount=Decimal("5000"),
            entry_on=today,
            tranche=2,
            user=ministry,
        )
    services.approve_report(report=report, user=ministry)
    grants.record_disbursement(
        participation=participation,
        amount=Decimal("5000"),
        entry_on=today,
        tranche=2,
        user=ministry,
    )
    disbursed = LedgerEntry.objects.filter(participation=participation, kind="disbursement")
    assert sum(e.amount for e in disbursed) == participation.grant_amount


def test_closing_needs_the_approved_report_and_makes_the_participation_read_only(
    participation, plan, kov_a, ministry
):
    with pytest.raises(ValidationError, match="after its final report is approved"):
        services.close_participation(participation=participation, user=ministry)
    report = written(participation, kov_a)
    services.submit_report(report=report, user=kov_a)
    services.approve_report(report=report, user=ministry)
    with pytest.raises(Forbidden):
        services.close_participation(participation=participation, user=kov_a)
    services.close_participation(participation=participation, user=ministry)
    participation.refresh_from_db()
    assert participation.is_closed and participation.closed_by == ministry
    assert AuditEvent.objects.filter(
        object_id=str(participation.pk), detail="participation closed"
    ).exists()
    with pytest.raises(ValidationError, match="participation is closed"):
        services.close_participation(participation=participation, user=ministry)


def test_lessons_start_a_good_practice_draft_once(participation, plan, kov_a):
    report = services.start_report(participation=participation, user=kov_a)
    with pytest.raises(ValidationError):
        services.start_practice(report=report, user=kov_a)
    report = written(participation, kov_a)
    practice = services.start_practice(report=report, user=kov_a)
    assert practice.status == Practice.Status.DRAFT
    assert practice.description == "Alustage andmetest."
    assert practice.municipality == participation.municipality
    assert FinalReport.objects.get(pk=report.pk).practice == practice
    with pytest.raises(ValidationError):
        services.start_practice(report=report, user=kov_a)


def test_reports_are_visible_as_their_participations(participation, plan, kov_a, kov_b, provider):
    written(participation, kov_a)
    assert FinalReport.objects.visible_to(kov_a).count() == 1
    assert FinalReport.objects.visible_to(provider).count() == 1
    assert FinalReport.objects.visible_to(kov_b).count() == 0


def test_the_stage_follows_the_dates_the_plan_and_the_report(participation, kov_a, ministry):
    def stage(on=None):
        return Participation.objects.with_stage(on).get(pk=participation.pk).stage

    start = participation.start_on
    assert stage(start - timedelta(days=1)) == Stage.AGREEMENT
    assert stage(start + timedelta(days=10)) == Stage.AGREEMENT  # no approved plan yet
    plan = start_plan(participation=participation, user=kov_a)
    PlanRevision.objects.create(plan=plan, number=1, content={}, approved_by=ministry)
    assert stage(start + timedelta(days=364)) == Stage.YEAR_1
    assert stage(start + timedelta(days=366)) == Stage.YEAR_2
    assert stage(participation.end_on + timedelta(days=1)) == Stage.FINAL_REPORT
    report = written(participation, kov_a)
    assert stage(start + timedelta(days=366)) == Stage.YEAR_2  # a draft does not count
    services.submit_report(report=report, user=kov_a)
    assert stage(start + timedelta(days=366)) == Stage.FINAL_REPORT
    services.approve_report(report=report, user=ministry)
    services.close_participation(participation=participation, user=ministry)
    assert stage() == Stage.CLOSED
    assert Participation.objects.get(pk=participation.pk).get_stage_display() == Stage.CLOSED.label
