"""The final report's workflows: writing and submitting it, the ministry's approval or return,
starting a good practice from its lessons, and closing the participation. Who may take each
step, and when, is closing/rules.py, asked on the locked rows."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from actionplans.models import Activity
from audit.services import record_change
from closing import rules
from closing.models import ActivityResult, FinalReport
from notifications.models import Kind
from notifications.services import ministry_staff, municipality_people, notify
from practices.models import JointForm, Practice
from practices.services import save_practice
from programme.models import Participation
from turvaportaal.lib.rules import require

Status = FinalReport.Status


def _locked_participation(participation: Participation) -> Participation:
    return Participation.objects.select_for_update().get(pk=participation.pk)


def _locked(report: FinalReport) -> FinalReport:
    return FinalReport.objects.select_for_update().select_related("participation").get(pk=report.pk)


def _link(report: FinalReport) -> str:
    return reverse("final_report", args=[report.participation_id])


def _prefill(report: FinalReport) -> None:
    """A result for each of the plan's activities the report lacks, done as the plan says."""
    have = set(report.results.values_list("activity_id", flat=True))
    ActivityResult.objects.bulk_create(
        ActivityResult(report=report, activity=activity, is_done=activity.status == "done")
        for activity in Activity.objects.filter(plan__participation_id=report.participation_id)
        if activity.pk not in have
    )


@transaction.atomic
def start_report(*, participation: Participation, user: User) -> FinalReport:
    """The participation's final report, started (prefilled from the plan) if it has none."""
    locked = _locked_participation(participation)
    report = FinalReport.objects.filter(participation=locked).first()
    if report is not None:
        return report
    require(rules.may_write_report(user, locked))
    report = FinalReport.objects.create(participation=locked)
    _prefill(report)
    record_change(
        user, report, gettext_noop("final report started"), after={"status": Status.DRAFT}
    )
    return report


@transaction.atomic
def save_report(
    *,
    report: FinalReport,
    continuation: str,
    lessons: str,
    results: Mapping[int, tuple[bool, str]],
    user: User,
) -> FinalReport:
    """Save the answers as a draft: the texts and, per activity id, done and the comment."""
    report = _locked(report)
    require(rules.may_write_report(user, report.participation))
    before = {"continuation": report.continuation, "lessons": report.lessons}
    report.continuation, report.lessons = continuation.strip(), lessons.strip()
    report.save(update_fields=["continuation", "lessons", "updated_at"])
    changed: dict[str, Any] = {}
    for result in report.results.select_related("activity"):
        if result.activity_id in results:
            is_done, comment = results[result.activity_id]
            if (is_done, comment.strip()) != (result.is_done, result.comment):
                result.is_done, result.comment = is_done, comment.strip()
                result.save(update_fields=["is_done", "comment"])
                changed[str(result.activity)] = {"done": is_done, "comment": result.comment}
    after: dict[str, Any] = {"continuation": report.continuation, "lessons": report.lessons}
    record_change(
        user, report, gettext_noop("final report saved"), before=before, after=after | changed
    )
    return report


@transaction.atomic
def submit_report(*, report: FinalReport, user: User) -> FinalReport:
    """Hand the report in; ministry staff are told."""
    report = _locked(report)
    _prefill(report)  # an activity added to the plan since: it is answered before submitting
    require(rules.may_submit_report(user, report))
    before = report.status
    report.status = Status.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), user
    report.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    record_change(
        user,
        report,
        gettext_noop("final report submitted"),
        before={"status": before},
        after={"status": report.status},
    )
    notify(
        Kind.FINAL_REPORT_SUBMITTED,
        recipients=ministry_staff(),
        about=report,
        link=_link(report),
        actor=user,
    )
    return report


@transaction.atomic
def approve_report(*, report: FinalReport, user: User) -> FinalReport:
    """The ministry approves: the last payment may now be recorded; the municipality is told."""
    report = _locked(report)
    require(rules.may_approve_report(user, report))
    report.status = Status.APPROVED
    report.return_comment = ""
    report.decided_at, report.decided_by = timezone.now(), user
    report.save(update_fields=["status", "return_comment", "decided_at", "decided_by"])
    record_change(
        user,
        report,
        gettext_noop("final report approved"),
        before={"status": Status.SUBMITTED},
        after={"status": report.status},
    )
    notify(
        Kind.FINAL_REPORT_APPROVED,
        recipients=municipality_people(report.participation.municipality),
        about=report,
        link=_link(report),
        actor=user,
    )
    return report


@transaction.atomic
def return_report(*, report: FinalReport, comment: str, user: User) -> FinalReport:
    """Back to the municipality with a comment, to change and submit again."""
    report = _locked(report)
    require(rules.may_return_report(user, report))
    if not comment.strip():
        raise ValidationError({"comment": _("Write what should change.")})
    report.status = Status.RETURNED
    report.return_comment = comment.strip()
    report.decided_at, report.decided_by = timezone.now(), user
    report.save(update_fields=["status", "return_comment", "decided_at", "decided_by"])
    record_change(
        user,
        report,
        gettext_noop("final report returned"),
        before={"status": Status.SUBMITTED},
        after={"status": report.status, "comment": report.return_comment},
    )
    notify(
        Kind.FINAL_REPORT_RETURNED,
        recipients=municipality_people(report.participation.municipality),
        about=report,
        link=_link(report),
        actor=user,
        note=report.return_comment,
    )
    return report


@transaction.atomic
def start_practice(*, report: FinalReport, user: User) -> Practice:
    """A good-practice draft of the municipality's, its description the report's lessons and
    its results what the municipality keeps doing, through the practice library's own workflow
    (practices.services.save_practice, and its rules); the report keeps the link."""
    report = _locked(report)
    require(rules.may_start_practice(user, report))
    municipality = report.participation.municipality
    practice = save_practice(
        user=user,
        data={
            "title": _("Lessons of %(municipality)s") % {"municipality": municipality},
            "place": municipality.name,
            # The practice needs a form of joint activity: the most common one is a starting
            # choice, which the municipality checks as it finishes the draft.
            "joint_form": JointForm.COOPERATION,
            "description": report.lessons,
            "results": report.continuation,
        },
    )
    report.practice = practice
    report.save(update_fields=["practice", "updated_at"])
    record_change(
        user, report, gettext_noop("good practice started"), after={"practice": practice.pk}
    )
    return practice


@transaction.atomic
def close_participation(*, participation: Participation, user: User) -> Participation:
    """The ministry closes the participation after the final report's approval: every page of
    it is read-only from now on."""
    locked = _locked_participation(participation)
    require(rules.may_close(user, locked))
    locked.closed_at, locked.closed_by = timezone.now(), user
    locked.save(update_fields=["closed_at", "closed_by"])
    record_change(
        user,
        locked,
        gettext_noop("participation closed"),
        before={"closed_at": None},
        after={"closed_at": locked.closed_at},
    )
    return locked
