"""The action plan's workflows: starting, saving, submitting, returning, approving (with a kept
revision), importing measurements and the quarterly progress updates."""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.forms import BaseInlineFormSet, ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from actionplans.models import (
    ActionPlan,
    Activity,
    Component,
    Measurement,
    PlanRevision,
    ProgressUpdate,
    RootCause,
)
from audit.services import record_change
from programme.models import Participation

# A quarter's update is due this many days after the quarter ends.
UPDATE_DUE_AFTER = timedelta(days=15)


def quarters(start: date, end: date) -> list[date]:
    """The first days of the calendar quarters that overlap the period."""
    first = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    result = []
    while first <= end:
        result.append(first)
        month = first.month + 3
        first = date(first.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return result


def quarter_end(first_day: date) -> date:
    month = first_day.month + 3
    return date(first_day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1) - timedelta(days=1)


@transaction.atomic
def start_plan(*, participation: Participation) -> ActionPlan:
    """Open the participation's plan and schedule its quarterly progress updates."""
    plan, created = ActionPlan.objects.get_or_create(participation=participation)
    if created:
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                plan=plan, quarter_start_on=first, due_on=quarter_end(first) + UPDATE_DUE_AFTER
            )
            for first in quarters(participation.start_on, participation.end_on)
        )
    return plan


def lock_reason(plan: ActionPlan) -> str | None:
    if plan.status == ActionPlan.Status.SUBMITTED:
        return _("The plan is waiting for the ministry's approval and cannot be changed now.")
    return None


def _lock_editable(plan: ActionPlan) -> ActionPlan:
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if reason := lock_reason(locked):
        raise ValidationError(reason)
    return locked


@transaction.atomic
def save_plan_part(
    *, plan: ActionPlan, form: ModelForm | None = None, formset: BaseInlineFormSet | None = None
) -> None:
    """Save one part of the plan. A change to an approved plan starts its next revision."""
    locked = _lock_editable(plan)
    if form is not None:
        form.save()
        if hasattr(form, "save_m2m"):
            form.save_m2m()
    if formset is not None:
        formset.save()
    _touch(locked)


@transaction.atomic
def add_problem(*, plan: ActionPlan, title: str) -> None:
    locked = _lock_editable(plan)
    locked.problems.create(title=title)
    _touch(locked)


@transaction.atomic
def remove_from_tree(*, plan: ActionPlan, problem_id: int | None, cause_id: int | None) -> None:
    """Remove a problem (with its causes) or one root cause of this plan."""
    locked = _lock_editable(plan)
    if problem_id:
        locked.problems.filter(pk=problem_id).delete()
    if cause_id:
        RootCause.objects.filter(problem__plan=locked, pk=cause_id).delete()
    _touch(locked)


def _touch(plan: ActionPlan) -> None:
    """Mark a change: an approved plan starts its next revision as a draft."""
    fields: dict[str, object] = {"updated_at": timezone.now()}
    if plan.status == ActionPlan.Status.APPROVED:
        fields["status"] = ActionPlan.Status.DRAFT
        # The service is not told who: the record names the signed-in user of the request.
        record_change(
            None,
            plan,
            gettext_noop("action plan reopened for a revision"),
            before={"status": plan.status},
            after={"status": ActionPlan.Status.DRAFT},
        )
    ActionPlan.objects.filter(pk=plan.pk).update(**fields)


def unmet_components(plan: ActionPlan) -> list[Component]:
    """The required programme components no planned activity of the plan covers."""
    covered = set(
        plan.activities.exclude(status=Activity.Status.CANCELLED).values_list(
            "component", flat=True
        )
    )
    return [component for component in Component if component not in covered]


@dataclass(frozen=True)
class TreeGaps:
    problems_without_activity: list[str]
    causes_without_activity: list[str]
    activities_without_cause: list[str]


def tree_gaps(plan: ActionPlan) -> TreeGaps:
    """Problems and root causes no activity addresses, and activities that address no cause."""
    problems = list(plan.problems.prefetch_related("causes__activities"))
    causes = [
        cause.title
        for problem in problems
        for cause in problem.causes.all()
        if not cause.activities.all()
    ]
    unaddressed = [
        problem.title
        for problem in problems
        if not any(cause.activities.all() for cause in problem.causes.all())
    ]
    activities = list(
        plan.activities.filter(causes__isnull=True)
        .exclude(status=Activity.Status.CANCELLED)
        .values_list("title", flat=True)
    )
    return TreeGaps(unaddressed, causes, activities)


@transaction.atomic
def submit_plan(*, plan: ActionPlan, user: User) -> None:
    """Send the plan for approval; every required component must be planned."""
    locked = _lock_editable(plan)
    if locked.status == ActionPlan.Status.APPROVED:
        raise ValidationError(_("The plan is approved; change it before submitting again."))
    missing = unmet_components(locked)
    if missing:
        raise ValidationError(
            [_("No planned activity for: %(component)s.") % {"component": c.label} for c in missing]
        )
    before = {"status": locked.status}
    locked.status = ActionPlan.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at"])
    record_change(
        user,
        locked,
        gettext_noop("action plan submitted"),
        before=before,
        after={"status": locked.status},
    )


@transaction.atomic
def return_plan(*, plan: ActionPlan, comment: str, user: User) -> None:
    """The ministry sends a submitted plan back with its comments."""
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != ActionPlan.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be returned."))
    if not comment.strip():
        raise ValidationError(_("Write what should change."))
    locked.status = ActionPlan.Status.RETURNED
    locked.return_comment = comment
    locked.save(update_fields=["status", "return_comment"])
    record_change(
        user,
        locked,
        gettext_noop("action plan returned"),
        before={"status": ActionPlan.Status.SUBMITTED},
        after={"status": locked.status, "comment": comment},
    )


@transaction.atomic
def approve_plan(*, plan: ActionPlan, user: User) -> PlanRevision:
    """The ministry approves a submitted plan; the approved version is kept as a revision."""
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != ActionPlan.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved."))
    number = (locked.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    revision = PlanRevision.objects.create(
        plan=locked, number=number, content=snapshot(locked), approved_by=user
    )
    locked.status = ActionPlan.Status.APPROVED
    locked.return_comment = ""
    locked.save(update_fields=["status", "return_comment"])
    record_change(
        user,
        locked,
        gettext_noop("action plan approved"),
        before={"status": ActionPlan.Status.SUBMITTED},
        after={"status": locked.status, "revision": number},
    )
    return revision


def snapshot(plan: ActionPlan) -> dict[str, Any]:
    """The plan's content as plain data, for keeping an approved revision."""
    return {
        "safety_field": plan.safety_field,
        "situation": plan.situation,
        "data_sources": plan.data_sources,
        "outlook": plan.outlook,
        "bodies": [f"{b.name}: {b.role} ({b.members})" for b in plan.bodies.all()],
        "problems": [
            {"title": p.title, "causes": [c.title for c in p.causes.all()]}
            for p in plan.problems.prefetch_related("causes")
        ],
        "goals": [goal.title for goal in plan.goals.all()],
        "activities": [
            {
                "title": a.title,
                "months": f"{a.start_month}–{a.end_month}",
                "component": a.component,
                "status": a.status,
                "planned_cost": str(a.planned_cost),
                "responsible": a.responsible,
                "partners": [partner.code for partner in a.partners.all()],
                "causes": [cause.title for cause in a.causes.all()],
            }
            for a in plan.activities.prefetch_related("partners", "causes")
        ],
        "indicators": [
            {
                "indicator": pi.indicator.code,
                "baseline": f"{pi.baseline_value} ({pi.baseline_on})",
                "target": f"{pi.target_value} ({pi.target_on})",
            }
            for pi in plan.indicators.select_related("indicator")
        ],
    }


def _lines(content: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in content.items():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    lines.append(f"{key}: " + "; ".join(f"{k}={v}" for k, v in item.items()))
                else:
                    lines.append(f"{key}: {item}")
        else:
            lines.extend(f"{key}: {line}" for line in str(value).splitlines() or [""])
    return lines


def revision_diff(older: dict[str, Any], newer: dict[str, Any]) -> list[str]:
    """What changed between two revisions, line by line (``-`` removed, ``+`` added)."""
    return [
        line
        for line in difflib.unified_diff(_lines(older), _lines(newer), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


MEASUREMENT_COLUMNS = ["indicator", "date", "value"]


@dataclass(frozen=True)
class ImportRow:
    line: int
    code: str
    refused: str = ""


@transaction.atomic
def import_measurements(*, plan: ActionPlan, rows: Iterable[dict[str, str]]) -> list[ImportRow]:
    """Measurements from a CSV (indicator, date, value, source): all rows or none. Each refused
    row says why; if any is refused, nothing is saved."""
    monitored = {pi.indicator.code: pi for pi in plan.indicators.select_related("indicator")}
    seen: set[tuple[int, date]] = set()
    report, measurements = [], []
    for line, row in enumerate(rows, start=2):
        code = (row.get("indicator") or "").strip()
        refusal = ""
        plan_indicator = monitored.get(code)
        try:
            measured_on = date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            measured_on = None
        try:
            value = Decimal((row.get("value") or "").strip().replace(",", "."))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            value = None
        if plan_indicator is None:
            refusal = _("The plan does not monitor the indicator “%(code)s”.") % {"code": code}
        elif measured_on is None:
            refusal = _("The date is not a date (YYYY-MM-DD).")
        elif value is None:
            refusal = _("The value is not a number.")
        elif (plan_indicator.pk, measured_on) in seen or plan_indicator.measurements.filter(
            measured_on=measured_on
        ).exists():
            refusal = _("There is already a measurement of this indicator on that date.")
        report.append(ImportRow(line, code, refusal))
        if not refusal and plan_indicator and measured_on and value is not None:
            seen.add((plan_indicator.pk, measured_on))
            measurements.append(
                Measurement(
                    plan_indicator=plan_indicator,
                    value=value,
                    measured_on=measured_on,
                    source_note=(row.get("source") or "").strip()[:300],
                )
            )
    if all(not row.refused for row in report):
        Measurement.objects.bulk_create(measurements)
    return report


@transaction.atomic
def submit_update(*, update: ProgressUpdate, narrative: str, user: User) -> None:
    if not narrative.strip():
        raise ValidationError(_("Write a few sentences on the quarter."))
    before = {"submitted_at": update.submitted_at}
    update.narrative = narrative
    update.submitted_at = timezone.now()
    update.submitted_by = user
    update.save(update_fields=["narrative", "submitted_at", "submitted_by"])
    record_change(
        user,
        update,
        gettext_noop("progress update submitted"),
        before=before,
        after={"submitted_at": update.submitted_at},
    )
