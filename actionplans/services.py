"""The action plan's workflows: starting, saving, submitting, returning, approving (with a kept
revision), importing measurements, and the quarterly progress updates and their review."""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import transaction
from django.db.models import Max, Q
from django.forms import BaseInlineFormSet, ModelForm
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from actionplans import rules
from actionplans.models import (
    ActionPlan,
    Activity,
    Component,
    Indicator,
    IndicatorTarget,
    Measurement,
    PlanRevision,
    ProgressUpdate,
    RootCause,
)
from audit.services import record_change
from notifications.models import Kind
from notifications.services import ministry_staff, municipality_people, notify
from programme.models import Participation
from turvaportaal.lib.dates import in_programme_years
from turvaportaal.lib.rules import require

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
def start_plan(*, participation: Participation, user: User | None = None) -> ActionPlan:
    """Open the participation's plan and schedule its quarterly progress updates. The user is
    who starts it; None when the portal itself does (the demo data, the benchmarks)."""
    if user is not None:
        require(rules.may_start(user, participation))
    plan, created = ActionPlan.objects.get_or_create(participation=participation)
    if created:
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                plan=plan, quarter_start_on=first, due_on=quarter_end(first) + UPDATE_DUE_AFTER
            )
            for first in quarters(participation.start_on, participation.end_on)
        )
    return plan


def _locked(plan: ActionPlan) -> ActionPlan:
    """The plan's row, locked until the transaction ends, so that its state is the one the
    rules were asked about."""
    return (
        ActionPlan.objects.select_for_update(of=("self",))
        .select_related("participation")
        .get(pk=plan.pk)
    )


def _locked_for_editing(plan: ActionPlan, user: User) -> ActionPlan:
    locked = _locked(plan)
    require(rules.may_edit(user, locked))
    return locked


@transaction.atomic
def save_plan_part(
    *,
    plan: ActionPlan,
    user: User,
    form: ModelForm | None = None,
    formset: BaseInlineFormSet | None = None,
) -> None:
    """Save one part of the plan, a draft or returned one."""
    locked = _locked_for_editing(plan, user)
    if form is not None:
        form.save()
        if hasattr(form, "save_m2m"):
            form.save_m2m()
    if formset is not None:
        formset.save()
    _touch(locked)


@transaction.atomic
def add_problem(*, plan: ActionPlan, user: User, title: str) -> None:
    locked = _locked_for_editing(plan, user)
    locked.problems.create(title=title)
    _touch(locked)


@transaction.atomic
def remove_from_tree(
    *, plan: ActionPlan, user: User, problem_id: int | None, cause_id: int | None
) -> None:
    """Remove a problem (with its causes) or one root cause of this plan."""
    locked = _locked_for_editing(plan, user)
    if problem_id:
        locked.problems.filter(pk=problem_id).delete()
    if cause_id:
        RootCause.objects.filter(problem__plan=locked, pk=cause_id).delete()
    _touch(locked)


def _touch(plan: ActionPlan) -> None:
    """Mark a change of the plan's content."""
    ActionPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())


@transaction.atomic
def reopen_plan(*, plan: ActionPlan, user: User) -> None:
    """An approved plan becomes the draft of its next revision; the approved one stays kept."""
    locked = _locked(plan)
    require(rules.may_reopen(user, locked))
    locked.status = ActionPlan.Status.DRAFT
    locked.save(update_fields=["status", "updated_at"])
    record_change(
        user,
        locked,
        gettext_noop("action plan reopened for a revision"),
        before={"status": ActionPlan.Status.APPROVED},
        after={"status": locked.status},
    )


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


def year_to_submit(plan: ActionPlan) -> int | None:
    """The calendar year whose plan may be submitted next: the first not yet approved, as the
    years are approved in order. None once every year is."""
    approved = plan.revisions.approved_years()
    return next((year for year in plan.participation.calendar_years if year not in approved), None)


def year_gaps(plan: ActionPlan, year: int) -> list[str]:
    """What keeps a year's plan from being submitted: no activity starting in the year."""
    activities = plan.activities.in_year(plan.participation, year)
    if activities.exclude(status=Activity.Status.CANCELLED).exists():
        return []
    return [_("No activity starts in %(year)s.") % {"year": year}]


@dataclass(frozen=True)
class PlanYear:
    """One calendar year's plan: its activities and cost, its targets, where it stands."""

    year: int
    activities: int
    planned_cost: Decimal
    approved_at: datetime | None
    waiting: bool
    returned: bool
    # The monitored indicators without a target for the end of the year: the ministry sees
    # them when it decides.
    untargeted: list[str]
    # A later year's plan is approved before the year starts, by its first day.
    due_on: date | None

    @property
    def is_late(self) -> bool:
        return (
            self.approved_at is None
            and self.due_on is not None
            and timezone.localdate() >= self.due_on
        )


def plan_years(plan: ActionPlan) -> list[PlanYear]:
    """Each calendar year of the participation with its plan's state: five queries."""
    participation = plan.participation
    approvals = {
        revision.year: revision.approved_at
        for revision in plan.revisions.filter(year__isnull=False)
    }
    activities = list(
        plan.activities.exclude(status=Activity.Status.CANCELLED).values_list(
            "start_month", "planned_cost"
        )
    )
    monitored = list(plan.indicators.select_related("indicator").prefetch_related("yearly_targets"))
    years = []
    for year in participation.calendar_years:
        first, last = participation.plan_months_in(year)
        costs = [cost for month, cost in activities if first <= month <= last]
        asked = plan.submitted_year == year
        years.append(
            PlanYear(
                year=year,
                activities=len(costs),
                planned_cost=sum(costs, Decimal("0.00")),
                approved_at=approvals.get(year),
                waiting=asked and plan.status == ActionPlan.Status.SUBMITTED,
                returned=asked and plan.status == ActionPlan.Status.RETURNED,
                untargeted=[
                    str(pi.indicator)
                    for pi in monitored
                    if year not in {target.year for target in pi.yearly_targets.all()}
                ],
                due_on=date(year, 1, 1) if year > participation.start_on.year else None,
            )
        )
    return years


@transaction.atomic
def save_targets(
    *, plan: ActionPlan, user: User, targets: dict[tuple[int, int], Decimal | None]
) -> None:
    """Each monitored indicator's target for the end of each year; an empty one is removed."""
    locked = _locked_for_editing(plan, user)
    own = set(locked.indicators.values_list("pk", flat=True))
    if not {pk for pk, _year in targets} <= own:
        raise ValidationError(_("An indicator is not monitored by this plan."))
    before = {
        f"{t.plan_indicator_id} {t.year}": t.value
        for t in IndicatorTarget.objects.filter(plan_indicator__plan=locked)
    }
    emptied = [(pk, year) for (pk, year), value in targets.items() if value is None]
    if emptied:
        gone = Q()
        for pk, year in emptied:
            gone |= Q(plan_indicator_id=pk, year=year)
        IndicatorTarget.objects.filter(gone).delete()
    IndicatorTarget.objects.bulk_create(
        [
            IndicatorTarget(plan_indicator_id=pk, year=year, value=value)
            for (pk, year), value in targets.items()
            if value is not None
        ],
        update_conflicts=True,
        unique_fields=["plan_indicator", "year"],
        update_fields=["value"],
    )
    after = {
        f"{t.plan_indicator_id} {t.year}": t.value
        for t in IndicatorTarget.objects.filter(plan_indicator__plan=locked)
    }
    if before != after:
        record_change(
            user, locked, gettext_noop("yearly targets saved"), before=before, after=after
        )
        _touch(locked)


@transaction.atomic
def submit_plan(*, plan: ActionPlan, user: User, year: int | None = None) -> None:
    """Send the plan for approval: as ``year``'s plan (the next not approved: year_to_submit),
    or, without a year, as a change to the years approved; the first submission is always the
    first year's plan. Every required component must be planned, and the year's plan have an
    activity."""
    locked = _locked(plan)
    require(rules.may_submit(user, locked))
    missing = unmet_components(locked)
    if missing:
        raise ValidationError(
            [_("No planned activity for: %(component)s.") % {"component": c.label} for c in missing]
        )
    next_year = year_to_submit(locked)
    if year is None and not locked.revisions.approved_years():
        year = next_year
    if year is not None and year != next_year:
        raise ValidationError(
            _("The years' plans are approved in order: the next to submit is %(year)s's.")
            % {"year": next_year}
            if next_year
            else _("Every year's plan is approved already: submit the plan as a change.")
        )
    if year is not None and (gaps := year_gaps(locked, year)):
        raise ValidationError(gaps)
    before = {"status": locked.status}
    locked.status = ActionPlan.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_year = year
    locked.save(update_fields=["status", "submitted_at", "submitted_year"])
    record_change(
        user,
        locked,
        gettext_noop("action plan submitted"),
        before=before,
        after={"status": locked.status, "year": year},
    )
    notify(
        Kind.PLAN_SUBMITTED,
        recipients=ministry_staff(),
        about=locked,
        link=reverse("plan_detail", args=[locked.pk]),
        actor=user,
    )


@transaction.atomic
def return_plan(*, plan: ActionPlan, comment: str, user: User) -> None:
    """The ministry sends a submitted plan back with its comments."""
    locked = _locked(plan)
    require(rules.may_decide(user, locked))
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
    notify(
        Kind.PLAN_RETURNED,
        recipients=municipality_people(locked.participation.municipality),
        about=locked,
        link=reverse("plan_detail", args=[locked.pk]),
        actor=user,
        note=comment,
    )


def next_revision_number(plan: ActionPlan) -> int:
    """The number the plan's next approval keeps its content under."""
    return (plan.revisions.aggregate(last=Max("number"))["last"] or 0) + 1


@transaction.atomic
def approve_plan(*, plan: ActionPlan, user: User) -> PlanRevision:
    """The ministry approves a submitted plan; the approved version is kept as a revision."""
    locked = _locked(plan)
    require(rules.may_decide(user, locked))
    number = next_revision_number(locked)
    revision = PlanRevision.objects.create(
        plan=locked,
        number=number,
        year=locked.submitted_year,
        content=snapshot(locked),
        approved_by=user,
    )
    locked.status = ActionPlan.Status.APPROVED
    locked.return_comment = ""
    locked.submitted_year = None
    locked.save(update_fields=["status", "return_comment", "submitted_year"])
    record_change(
        user,
        locked,
        gettext_noop("action plan approved"),
        before={"status": ActionPlan.Status.SUBMITTED},
        after={"status": locked.status, "revision": number, "year": revision.year},
    )
    notify(
        Kind.PLAN_APPROVED,
        recipients=municipality_people(locked.participation.municipality),
        about=locked,
        link=reverse("plan_detail", args=[locked.pk]),
        actor=user,
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
                "yearly_targets": {str(t.year): str(t.value) for t in pi.yearly_targets.all()},
            }
            for pi in plan.indicators.select_related("indicator").prefetch_related("yearly_targets")
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
_VALUE = Measurement._meta.get_field("value")
_SOURCE_LENGTH = Measurement._meta.get_field("source_note").max_length or 0


@transaction.atomic
def record_measurement(*, plan: ActionPlan, user: User, form: ModelForm) -> Measurement:
    """One measurement of an indicator the plan monitors, from a valid MeasurementForm."""
    require(rules.may_record_measurement(user, plan))
    measurement: Measurement = form.save()
    return measurement


@transaction.atomic
def define_indicator(*, plan: ActionPlan, user: User, form: ModelForm) -> Indicator:
    """An indicator of the plan's municipality's own, from a valid OwnIndicatorForm."""
    require(rules.may_define_indicator(user, plan))
    indicator: Indicator = form.instance
    indicator.municipality_id = plan.participation.municipality_id
    # The form leaves the municipality out, so the code's uniqueness within it is checked here.
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def save_catalogue_indicator(*, form: ModelForm, user: User) -> Indicator:
    """A catalogue indicator's description, from a valid CatalogueIndicatorForm."""
    require(rules.may_edit_catalogue(user, form.instance))
    indicator: Indicator = form.save()
    return indicator


@dataclass(frozen=True)
class ImportRow:
    line: int
    code: str
    refused: str = ""


def _date_refusal(text: str) -> tuple[date | None, str]:
    try:
        measured_on = date.fromisoformat(text.strip())
    except ValueError:
        return None, _("The date is not a date (YYYY-MM-DD).")
    try:
        in_programme_years(measured_on)
    except ValidationError as error:
        return None, " ".join(error.messages)
    return measured_on, ""


def _value_refusal(text: str) -> tuple[Decimal | None, str]:
    try:
        value = Decimal(text.strip().replace(",", "."))
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        return None, _("The value is not a number.")
    if value.is_zero():
        return value, ""
    # Trailing zeros after the point are no digits of the value: 1.5000 is 1.5. (Exactly:
    # Decimal.normalize would round to the context's precision, or overflow.)
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a finite number's
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    dropped = min(zeros, max(-exponent, 0))
    digits, exponent = digits[: len(digits) - dropped] or (0,), exponent + dropped
    whole = _VALUE.max_digits - _VALUE.decimal_places
    try:
        DecimalValidator(_VALUE.max_digits, _VALUE.decimal_places)(
            Decimal((sign, digits, exponent))
        )
    except ValidationError:
        return None, _(
            "The value has more digits than a measurement keeps: at most %(whole)s before the "
            "decimal point and %(decimals)s after it."
        ) % {"whole": whole, "decimals": _VALUE.decimal_places}
    return value, ""


def _source_refusal(text: str) -> str:
    if "\x00" in text:
        return _("The source contains a null character.")
    if len(text) > _SOURCE_LENGTH:
        return _("The source is longer than %(max)s characters.") % {"max": _SOURCE_LENGTH}
    return ""


@transaction.atomic
def import_measurements(
    *, plan: ActionPlan, user: User, rows: Iterable[dict[str, str]]
) -> list[ImportRow]:
    """Measurements from a CSV (indicator, date, value, source): all rows or none. Each refused
    row says why; if any is refused, nothing is saved."""
    require(rules.may_record_measurement(user, plan))
    monitored = {pi.indicator.code: pi for pi in plan.indicators.select_related("indicator")}
    taken = set(
        Measurement.objects.filter(plan_indicator__plan=plan).values_list(
            "plan_indicator_id", "measured_on"
        )
    )
    report, measurements = [], []
    for line, row in enumerate(rows, start=2):
        code = (row.get("indicator") or "").strip()
        source = (row.get("source") or "").strip()
        plan_indicator = monitored.get(code)
        measured_on, date_refused = _date_refusal(row.get("date") or "")
        value, value_refused = _value_refusal(row.get("value") or "")
        if plan_indicator is None:
            refusal = _("The plan does not monitor the indicator “%(code)s”.") % {"code": code}
        else:
            refusal = date_refused or value_refused or _source_refusal(source)
        if not refusal and plan_indicator and measured_on and value is not None:
            if (plan_indicator.pk, measured_on) in taken:
                refusal = _("There is already a measurement of this indicator on that date.")
            else:
                taken.add((plan_indicator.pk, measured_on))
                measurements.append(
                    Measurement(
                        plan_indicator=plan_indicator,
                        value=value,
                        measured_on=measured_on,
                        source_note=source,
                    )
                )
        report.append(ImportRow(line, code, refusal))
    if all(not row.refused for row in report):
        Measurement.objects.bulk_create(measurements)
    return report


def _locked_update(update: ProgressUpdate) -> ProgressUpdate:
    """The update's row, locked until the transaction ends, with its plan's participation."""
    return (
        ProgressUpdate.objects.select_for_update(of=("self",))
        .select_related("plan__participation__municipality")
        .get(pk=update.pk)
    )


def _review_state(update: ProgressUpdate) -> dict[str, Any]:
    return {"status": update.status.value, "submitted_at": update.submitted_at}


@transaction.atomic
def submit_update(*, update: ProgressUpdate, narrative: str, user: User) -> None:
    """Send a quarter's progress update to the ministry, or send a returned one again,
    corrected; ministry staff are told."""
    update = _locked_update(update)
    require(rules.may_submit_update(user, update))
    if not narrative.strip():
        raise ValidationError(_("Write a few sentences on the quarter."))
    before = _review_state(update) | {"narrative": update.narrative}
    update.narrative = narrative
    update.submitted_at = timezone.now()
    update.submitted_by = user
    update.save(update_fields=["narrative", "submitted_at", "submitted_by"])
    record_change(
        user,
        update,
        gettext_noop("progress update submitted")
        if before["submitted_at"] is None
        else gettext_noop("progress update submitted again"),
        before=before,
        after=_review_state(update) | {"narrative": update.narrative},
    )
    notify(
        Kind.UPDATE_SUBMITTED,
        recipients=ministry_staff(),
        about=update,
        link=reverse("plan_updates", args=[update.plan_id]) + f"#update-{update.pk}",
        actor=user,
    )


def _reviewed(update: ProgressUpdate, user: User, review: str, comment: str) -> None:
    update.review = review
    update.review_comment = comment
    update.reviewed_at = timezone.now()
    update.reviewed_by = user
    update.save(update_fields=["review", "review_comment", "reviewed_at", "reviewed_by"])


@transaction.atomic
def accept_update(*, update: ProgressUpdate, user: User) -> None:
    """The ministry accepts a sent update; the municipality's people are told."""
    update = _locked_update(update)
    require(rules.may_accept_update(user, update))
    before = _review_state(update)
    _reviewed(update, user, ProgressUpdate.Review.ACCEPTED, "")
    record_change(
        user,
        update,
        gettext_noop("progress update accepted"),
        before=before,
        after=_review_state(update),
    )
    notify(
        Kind.UPDATE_ACCEPTED,
        recipients=municipality_people(update.plan.participation.municipality),
        about=update,
        link=reverse("plan_updates", args=[update.plan_id]) + f"#update-{update.pk}",
        actor=user,
    )


@transaction.atomic
def return_update(*, update: ProgressUpdate, comment: str, user: User) -> None:
    """The ministry returns a sent update with a comment, for the municipality to correct and
    send again; the municipality's people are told, with the comment."""
    update = _locked_update(update)
    require(rules.may_return_update(user, update))
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Write what should change."))
    before = _review_state(update)
    _reviewed(update, user, ProgressUpdate.Review.RETURNED, comment)
    record_change(
        user,
        update,
        gettext_noop("progress update returned"),
        before=before,
        after=_review_state(update) | {"comment": comment},
    )
    notify(
        Kind.UPDATE_RETURNED,
        recipients=municipality_people(update.plan.participation.municipality),
        about=update,
        link=reverse("plan_updates", args=[update.plan_id]) + f"#update-{update.pk}",
        actor=user,
        note=comment,
    )
