"""What waits for each person now: the work queues of the start pages.

Each task counts one QuerySet method of the model it counts, over what the person may see
(``visible_to``), and links to the page where the work is done; a few queries per role, however
many rows there are.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from actionplans.models import ActionPlan, ProgressUpdate
from applications.models import Application, Assignment
from closing.models import FinalReport
from counselling.models import CounsellingSession
from grants.models import BudgetChange, LedgerEntry, PaymentClaim
from inquiries.models import InformationRequest
from practices.models import Practice
from reports.models import Report

# A rendered report stays on the start page this long: long enough to come back for it.
REPORTS_SHOWN_FOR = timedelta(days=7)


@dataclass(frozen=True)
class Task:
    """One kind of work waiting for the person: how many, and where it is done."""

    label: str
    count: int
    url: str
    note: str = ""


def _counted(rows: QuerySet[Any], key: str, name: str) -> list[dict[str, Any]]:
    """The rows counted per ``key`` (a foreign key's id), with ``name`` to show, in one query."""
    return list(
        rows.order_by().values(key, name).annotate(count=Count("pk", distinct=True)).order_by(name)
    )


def _task(label: str, rows: QuerySet[Any], url: str) -> list[Task]:
    count = rows.count()
    return [Task(label, count, url)] if count else []


def evaluator_queue(user: User) -> list[Task]:
    """An evaluator's (a county's, or a ministry member's) assigned applications not yet
    scored."""
    return _task(
        _("Applications waiting for your scores"),
        Assignment.objects.assigned_to(user).awaiting_scores(),
        reverse("my_evaluations"),
    )


def ministry_queue(user: User, now: datetime | None = None) -> list[Task]:
    """The ministry's work: the evaluation and selection, plans, money, late updates and those
    waiting for review, reports."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    applications = Application.objects.visible_to(user)
    with_results = applications.results_visible_to(user)
    tasks = [
        Task(
            _("Applications waiting for an evaluator: %(call)s") % {"call": row["call__title"]},
            row["count"],
            reverse("evaluation_overview", args=[row["call_id"]]),
        )
        for row in _counted(applications.awaiting_evaluator(), "call_id", "call__title")
    ]
    tasks += evaluator_queue(user)
    tasks += [
        Task(
            _("Applications needing a consensus discussion: %(call)s")
            % {"call": row["call__title"]},
            row["count"],
            reverse("evaluation_overview", args=[row["call_id"]]),
        )
        for row in _counted(with_results.needing_consensus(), "call_id", "call__title")
    ]
    tasks += [
        Task(
            _("Selection to confirm: %(call)s") % {"call": row["call__title"]},
            row["count"],
            reverse("selection", args=[row["call_id"]]),
        )
        for row in _counted(with_results.ready_for_selection(now), "call_id", "call__title")
    ]
    tasks += _task(
        _("Action plans waiting for approval"),
        ActionPlan.objects.visible_to(user).awaiting_decision(),
        reverse("plan_list"),
    )
    entries = LedgerEntry.objects.visible_to(user)
    if waiting := entries.awaiting_review().count():
        waiting_long = entries.waiting_long(now).count()
        tasks.append(
            Task(
                _("Expenditures waiting for review"),
                waiting,
                reverse("ledger_overview"),
                _("Waiting over 30 days: %(count)s") % {"count": waiting_long}
                if waiting_long
                else "",
            )
        )
    tasks += [
        Task(
            _("Budget changes waiting for a decision: %(municipality)s")
            % {"municipality": row["participation__municipality__name"]},
            row["count"],
            reverse("ledger", args=[row["participation_id"]]),
        )
        for row in _counted(
            BudgetChange.objects.visible_to(user).awaiting_decision(),
            "participation_id",
            "participation__municipality__name",
        )
    ]
    tasks += [
        Task(
            _("Payment claims waiting for review: %(municipality)s")
            % {"municipality": row["participation__municipality__name"]},
            row["count"],
            reverse("claims", args=[row["participation_id"]]),
        )
        for row in _counted(
            PaymentClaim.objects.visible_to(user).awaiting_decision(),
            "participation_id",
            "participation__municipality__name",
        )
    ]
    tasks += [
        Task(
            _("Final report waiting for a decision: %(municipality)s")
            % {"municipality": row["participation__municipality__name"]},
            row["count"],
            reverse("final_report", args=[row["participation_id"]]),
        )
        for row in _counted(
            FinalReport.objects.visible_to(user).awaiting_decision(),
            "participation_id",
            "participation__municipality__name",
        )
    ]
    tasks += _late_updates(user, today)
    tasks += [
        Task(
            _("Quarterly updates waiting for review: %(municipality)s")
            % {"municipality": row["plan__participation__municipality__name"]},
            row["count"],
            reverse("plan_updates", args=[row["plan_id"]]),
        )
        for row in _counted(
            ProgressUpdate.objects.visible_to(user).awaiting_review(),
            "plan_id",
            "plan__participation__municipality__name",
        )
    ]
    tasks += _task(
        _("Reports ready to download"),
        Report.objects.visible_to(user).ready_for(user, now - REPORTS_SHOWN_FOR),
        reverse("report_list"),
    )
    return tasks


def _late_updates(user: User, today: Any) -> list[Task]:
    return [
        Task(
            _("Quarterly updates late: %(municipality)s")
            % {"municipality": row["plan__participation__municipality__name"]},
            row["count"],
            reverse("plan_updates", args=[row["plan_id"]]),
        )
        for row in _counted(
            ProgressUpdate.objects.visible_to(user).overdue(today),
            "plan_id",
            "plan__participation__municipality__name",
        )
    ]


def municipality_queue(user: User, now: datetime | None = None) -> list[Task]:
    """A municipality's work: the ministry's questions to answer, its application's sections,
    quarterly updates (due, late or returned), sessions to confirm, and what the ministry
    returned to it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tasks = _task(
        _("Questions of the ministry to answer"),
        InformationRequest.objects.visible_to(user).open(),
        reverse("inquiry_list") + "?state=open",
    )
    tasks += [
        Task(
            _("Application sections to complete: %(call)s") % {"call": application.call.title},
            application.missing_sections,  # type: ignore[attr-defined]
            reverse("application_detail", args=[application.pk]),
        )
        for application in Application.objects.visible_to(user)
        .drafts_missing_sections(now)
        .select_related("call")
        .order_by("call__deadline_at", "pk")
    ]
    tasks += [
        Task(
            _("Quarterly updates due"),
            row["count"],
            reverse("plan_updates", args=[row["plan_id"]]),
        )
        for row in _counted(
            ProgressUpdate.objects.visible_to(user).due(today),
            "plan_id",
            "plan__participation__municipality__name",
        )
    ]
    tasks += _late_updates(user, today)
    tasks += [
        Task(
            _("Quarterly updates returned with comments"),
            row["count"],
            reverse("plan_updates", args=[row["plan_id"]]),
        )
        for row in _counted(
            ProgressUpdate.objects.visible_to(user).returned(),
            "plan_id",
            "plan__participation__municipality__name",
        )
    ]
    tasks += _task(
        _("Counselling sessions to confirm"),
        CounsellingSession.objects.visible_to(user).awaiting_confirmation(),
        reverse("session_list") + "?confirmation=awaiting",
    )
    tasks += [
        Task(_("Action plan returned with comments"), 1, reverse("plan_detail", args=[pk]))
        for pk in ActionPlan.objects.visible_to(user).returned().values_list("pk", flat=True)
    ]
    tasks += _task(
        _("Good practices returned with comments"),
        Practice.objects.visible_to(user).returned(),
        reverse("practice_list") + "?status=returned",
    )
    return tasks


def provider_queue(user: User) -> list[Task]:
    """A provider's sessions that wait for the municipality's word, or that it disputed."""
    sessions = CounsellingSession.objects.visible_to(user)
    return _task(
        _("Sessions awaiting the municipality's confirmation"),
        sessions.awaiting_confirmation(),
        reverse("session_list") + "?confirmation=awaiting",
    ) + _task(
        _("Sessions disputed by the municipality"),
        sessions.disputed(),
        reverse("session_list") + "?confirmation=disputed",
    )
