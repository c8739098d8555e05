"""The evaluation and selection workflows: criteria, evaluators, scores, consensus, and the
ministry's confirmed selection that creates cohorts and participations."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.forms import BaseInlineFormSet, ModelForm
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from applications import reference
from applications.models import (
    ESSAY_FIELDS,
    Application,
    Assignment,
    ConsensusRecord,
    Criterion,
    Score,
    SelectionDecision,
    Status,
)
from applications.rules import (
    may_agree,
    may_assign,
    may_confirm_selection,
    may_declare_conflict,
    may_edit_criteria,
    may_score,
)
from applications.scoring import Scores, disagreements, weighted_result
from applications.tasks import send_selection_decision
from audit.services import record_change
from grants.services import PlannedLine
from notifications.models import Kind
from notifications.services import municipality_people, notify
from programme import countymap
from programme.countymap import county_tiles
from programme.models import Call, Cohort, County, Participation
from programme.selection import (
    Candidate,
    Proposal,
    Rules,
    explanation_facts,
    propose,
    violations,
)
from turvaportaal.lib.queue import send_on_commit
from turvaportaal.lib.rules import require


def ensure_default_criteria(call: Call) -> None:
    """Give a call the default criteria (the six qualities, the budget, the plan) if it has none,
    in Estonian and English with their score levels (applications/data/); ministry staff may
    edit them."""
    if call.criteria.exists():
        return
    Criterion.objects.bulk_create(
        Criterion(call=call, **values) for values in reference.default_criteria()
    )


@transaction.atomic
def save_criteria(
    *, call: Call, settings_form: ModelForm, criteria: BaseInlineFormSet, user: User
) -> None:
    """Save the call's evaluation settings and criteria, together, while scoring has not
    started."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    require(may_edit_criteria(user, locked))
    settings_form.save()
    criteria.save()


def _locked(applications: list[int]) -> list[Application]:
    return list(
        Application.objects.select_for_update(of=("self",))
        # The call and municipality name the assignment in its audit record.
        .select_related("municipality", "call")
        .filter(pk__in=applications)
        .order_by("municipality__name", "pk")
    )


@transaction.atomic
def assign_evaluator(*, application: Application, evaluator: User, assigned_by: User) -> Assignment:
    """Give an application to an evaluator: ministry staff, or a county evaluator of its county."""
    [application] = _locked([application.pk])
    existing = application.assignments.filter(evaluator=evaluator).first()
    return _assign(application, evaluator, assigned_by, existing)


def _assign(
    application: Application, evaluator: User, assigned_by: User, existing: Assignment | None
) -> Assignment:
    """assign_evaluator's checks and write, the application locked and the evaluator's
    assignment to it, if any, read already."""
    require(may_assign(assigned_by, application))
    if existing is not None:
        if existing.has_conflict:
            raise ValidationError(
                _("This evaluator declared a conflict of interest with the application.")
            )
        raise ValidationError(_("This evaluator is already assigned to the application."))
    if not evaluator.is_evaluator or not evaluator.is_active:
        raise ValidationError(_("Only ministry staff and county evaluators can evaluate."))
    if (
        evaluator.role == Role.COUNTY_EVALUATOR
        and evaluator.county_id != application.municipality.county_id
    ):
        raise ValidationError(
            _("A county evaluator evaluates only applications from their own county.")
        )
    assignment = Assignment(application=application, evaluator=evaluator, assigned_by=assigned_by)
    assignment.save()
    record_change(
        assigned_by,
        assignment,
        gettext_noop("evaluator assigned"),
        after={"application": application.pk, "evaluator": evaluator.email},
    )
    return assignment


@dataclass(frozen=True)
class AssignmentOutcome:
    """One pair of a bulk assignment: made, or why not."""

    application: Application
    evaluator: User
    reason: str = ""

    @property
    def is_assigned(self) -> bool:
        return not self.reason


@transaction.atomic
def assign_evaluators(
    *, applications: list[Application], evaluators: list[User], assigned_by: User
) -> list[AssignmentOutcome]:
    """Give every one of the applications to every one of the evaluators, each pair checked as
    assign_evaluator checks it: a pair refused (already assigned, a declared conflict of
    interest, another county) is reported with the reason, and the others are made. The
    applications are locked and their assignments read once, not once a pair."""
    locked = _locked([application.pk for application in applications])
    existing = {
        (assignment.application_id, assignment.evaluator_id): assignment
        for assignment in Assignment.objects.filter(
            application__in=locked, evaluator__in=evaluators
        )
    }
    outcomes = []
    for application in locked:
        for evaluator in evaluators:
            try:
                # A savepoint a pair: a refused pair leaves the others made.
                with transaction.atomic():
                    _assign(
                        application,
                        evaluator,
                        assigned_by,
                        existing.get((application.pk, evaluator.pk)),
                    )
            except ValidationError as error:
                outcomes.append(AssignmentOutcome(application, evaluator, " ".join(error.messages)))
            else:
                outcomes.append(AssignmentOutcome(application, evaluator))
    return outcomes


@transaction.atomic
def declare_conflict(*, assignment: Assignment, has_conflict: bool, user: User) -> None:
    """The evaluator says whether they have a conflict of interest; only before scoring."""
    assignment = (
        Assignment.objects.select_for_update().select_related("application").get(pk=assignment.pk)
    )
    require(may_declare_conflict(user, assignment))
    before = {"has_conflict": assignment.has_conflict}
    assignment.has_conflict = has_conflict
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["has_conflict", "declared_at"])
    record_change(
        user,
        assignment,
        gettext_noop("conflict of interest declared"),
        before=before,
        after={"has_conflict": has_conflict},
    )


@transaction.atomic
def submit_scores(
    *, assignment: Assignment, scores: dict[int, tuple[int, str]], user: User
) -> None:
    """Record an evaluator's scores for every criterion, all at once and for good."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("application__call")
        .get(pk=assignment.pk)
    )
    require(may_score(user, assignment))
    criteria = list(assignment.application.call.criteria.all())
    errors = []
    for criterion in criteria:
        if criterion.pk not in scores:
            errors.append(_("Score “%(criterion)s”.") % {"criterion": criterion.name})
            continue
        value, comment = scores[criterion.pk]
        if not 0 <= value <= criterion.scale_max:
            errors.append(
                _("“%(criterion)s” is scored from 0 to %(max)s.")
                % {"criterion": criterion.name, "max": criterion.scale_max}
            )
        elif value < criterion.midpoint and not comment.strip():
            errors.append(
                _("Explain the score below the midpoint for “%(criterion)s” in a comment.")
                % {"criterion": criterion.name}
            )
    if errors:
        raise ValidationError(errors)
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=c, value=scores[c.pk][0], comment=scores[c.pk][1])
        for c in criteria
    )
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["submitted_at"])
    record_change(
        user,
        assignment,
        gettext_noop("scores submitted"),
        # Named in Estonian, the programme's language, whatever the evaluator reads.
        after={c.name_et: scores[c.pk][0] for c in criteria},
    )


@transaction.atomic
def record_consensus(
    *, application: Application, criterion: Criterion, outcome: str, user: User
) -> ConsensusRecord:
    """Record how the evaluators settled a criterion on which their scores differ too much."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application.pk)
    )
    require(may_agree(user, application))
    if not outcome.strip():
        raise ValidationError(_("Describe the outcome of the discussion."))
    consensus = ConsensusRecord.objects.create(
        application=application, criterion=criterion, outcome=outcome, recorded_by=user
    )
    record_change(
        user,
        consensus,
        gettext_noop("consensus recorded"),
        after={"criterion": criterion.name, "outcome": outcome},
    )
    return consensus


@dataclass(frozen=True)
class Answer:
    """The applicant's answer a criterion judges, as the scoring page shows it beside the
    criterion: a text of the application form, or the rows of its team, budget or plan."""

    subject: Criterion.Subject
    text: str = ""
    rows: tuple[Any, ...] = ()

    @property
    def is_text(self) -> bool:
        return self.subject.value in ESSAY_FIELDS

    @property
    def total(self) -> Decimal:
        """The budget's total, of the lines shown."""
        return sum((line.amount for line in self.rows), Decimal("0.00"))


def answers(application: Application, criteria: list[Criterion]) -> dict[int, Answer]:
    """The applicant's answer each criterion judges, by the criterion's key; none for a
    criterion that judges nothing in particular. Reads only the parts the criteria judge."""
    subjects = {criterion.subject for criterion in criteria}
    rows: dict[str, tuple[Any, ...]] = {}
    if Criterion.Subject.TEAM in subjects:
        rows[Criterion.Subject.TEAM] = tuple(application.team_members.all())
    if Criterion.Subject.BUDGET in subjects:
        rows[Criterion.Subject.BUDGET] = tuple(application.budget_lines.all())
    if Criterion.Subject.ACTIVITIES in subjects:
        rows[Criterion.Subject.ACTIVITIES] = tuple(
            application.activities.prefetch_related("partners")
        )
    found = {}
    for criterion in criteria:
        if not criterion.subject:
            continue
        subject = Criterion.Subject(criterion.subject)
        if subject.value in ESSAY_FIELDS:
            found[criterion.pk] = Answer(subject, text=getattr(application, subject.value))
        else:
            found[criterion.pk] = Answer(subject, rows=rows[subject])
    return found


@dataclass
class Evaluation:
    """Where one application's evaluation stands."""

    application: Application
    result: Decimal | None
    evaluators: int
    submitted: int
    conflicts: int
    disputed: list[Criterion] = field(default_factory=list)
    resolved: set[int] = field(default_factory=set)

    @property
    def needs_consensus(self) -> list[Criterion]:
        return [c for c in self.disputed if c.pk not in self.resolved]


def evaluations(call: Call, applications: list[Application]) -> list[Evaluation]:
    """Results, progress and consensus flags of the applications of a call, in a few queries
    that read only these applications' assignments, scores and consensus records."""
    criteria = {c.pk: c for c in call.criteria.all()}
    weights = {pk: c.weight for pk, c in criteria.items()}
    ids = [application.pk for application in applications]
    assignments = Assignment.objects.filter(application__call=call, application__in=ids)
    scores: dict[int, Scores] = defaultdict(lambda: defaultdict(dict))
    for application_id, evaluator_id, criterion_id, value in Score.objects.filter(
        assignment__in=assignments.scored()
    ).values_list(
        "assignment__application_id", "assignment__evaluator_id", "criterion_id", "value"
    ):
        scores[application_id][evaluator_id][criterion_id] = value
    progress: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        progress[assignment.application_id].append(assignment)
    resolved: dict[int, set[int]] = defaultdict(set)
    for application_id, criterion_id in ConsensusRecord.objects.filter(
        application__call=call, application__in=ids
    ).values_list("application_id", "criterion_id"):
        resolved[application_id].add(criterion_id)
    return [
        Evaluation(
            application=application,
            result=weighted_result(scores[application.pk], weights),
            evaluators=len(progress[application.pk]),
            submitted=sum(1 for a in progress[application.pk] if a.submitted_at),
            conflicts=sum(1 for a in progress[application.pk] if a.has_conflict),
            disputed=[
                criteria[pk] for pk in disagreements(scores[application.pk], call.consensus_margin)
            ],
            resolved=resolved[application.pk],
        )
        for application in applications
    ]


def selection_inputs(call: Call) -> tuple[list[Candidate], Rules, dict[int, Application]]:
    """The call's applications under evaluation and the programme's rules, as plain data."""
    applications = list(
        Application.objects.filter(call=call, status=Status.UNDER_EVALUATION).select_related(
            "municipality__county", "call"
        )
    )
    participating = set(Participation.objects.values_list("municipality_id", flat=True))
    taken = _by_county(Participation.objects.all())
    counties = County.objects.all()
    candidates = [
        Candidate(
            key=application.pk,
            name=application.municipality.name,
            county=application.municipality.county.ehak_code,
            result=evaluation.result or Decimal("0"),
            preferred_year=application.preferred_start_year,
            order=int(application.submitted_at.timestamp() * 1_000_000)
            if application.submitted_at
            else 0,
            already_participating=application.municipality_id in participating,
        )
        for application, evaluation in ((e.application, e) for e in evaluations(call, applications))
    ]
    rules = Rules(
        places={start.year: start.places for start in call.start_years.all()},
        county_limits={county.ehak_code: county.participant_limit for county in counties},
        minimum_result=call.minimum_result,
        taken=taken,
        county_names={county.ehak_code: county.name for county in counties},
    )
    return candidates, rules, {application.pk: application for application in applications}


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class CheckedSelection:
    """A selection the ministry may confirm: each application's start year (None: not
    selected), the proposal's, and what they were computed from."""

    chosen: dict[int, int | None]
    proposed: dict[int, int | None]
    proposal: Proposal
    rules: Rules
    candidates: list[Candidate]
    applications: dict[int, Application]

    def decided(self, reasons: dict[int, str]) -> list[tuple[Application, int | None, str]]:
        """Every application with its start year and the reason for a change to the proposal
        (none where it is the proposal's): the selected first, by year, then by name."""
        rows = [
            (
                self.applications[key],
                year,
                reasons.get(key, "") if year != self.proposed[key] else "",
            )
            for key, year in self.chosen.items()
        ]
        return sorted(rows, key=lambda row: (row[1] is None, row[1] or 0, row[0].municipality.name))


def check_selection(
    *,
    call: Call,
    start_years: dict[int, int | None],
    reasons: dict[int, str],
    user: User,
    accept_warnings: bool = False,
) -> CheckedSelection:
    """What confirming this selection would decide, or why it may not be confirmed; changes
    nothing (the confirmation page shows it before the ministry confirms)."""
    require(may_confirm_selection(user, call))
    candidates, rules, applications = selection_inputs(call)
    unscored = [
        item.application.municipality.name
        for item in evaluations(call, list(applications.values()))
        if item.result is None
    ]
    if unscored:
        raise ValidationError(
            _("Not every application is scored yet: %(names)s.") % {"names": ", ".join(unscored)}
        )
    proposal = propose(candidates, rules)
    proposed = proposal.assignment()
    chosen = {key: start_years.get(key, proposed[key]) for key in proposed}
    missing_reasons = [
        applications[key].municipality.name
        for key, year in chosen.items()
        if year != proposed[key] and not reasons.get(key, "").strip()
    ]
    if missing_reasons:
        raise ValidationError(
            _("Give a reason for each change to the proposal: %(names)s.")
            % {"names": ", ".join(missing_reasons)}
        )
    problems = violations(chosen, candidates, rules)
    by_key = {c.key: c for c in candidates}
    if any(by_key[key].already_participating for key, year in chosen.items() if year):
        raise ValidationError(problems)
    if problems and not accept_warnings:
        raise ValidationError(problems)
    return CheckedSelection(chosen, proposed, proposal, rules, candidates, applications)


@transaction.atomic
def confirm_selection(
    *,
    call: Call,
    start_years: dict[int, int | None],
    reasons: dict[int, str],
    user: User,
    accept_warnings: bool = False,
) -> list[SelectionDecision]:
    """Decide every application under evaluation: create a cohort per start year and a
    participation per selected municipality, and tell each applicant."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    checked = check_selection(
        call=call,
        start_years=start_years,
        reasons=reasons,
        user=user,
        accept_warnings=accept_warnings,
    )
    chosen, proposed, applications = checked.chosen, checked.proposed, checked.applications
    by_key = {c.key: c for c in checked.candidates}
    outcomes = {outcome.candidate.key: outcome for outcome in checked.proposal.outcomes}
    # Read once for the loop below: the budget lines of every application, and a cohort for
    # each start year (created if new; one another call made is kept as it is).
    prefetch_related_objects(list(applications.values()), "budget_lines")
    years = {year for year in chosen.values() if year is not None}
    Cohort.objects.bulk_create(
        [Cohort(stage=call.stage, start_year=year, call=call) for year in years],
        ignore_conflicts=True,
    )
    cohorts = {
        cohort.start_year: cohort
        for cohort in Cohort.objects.filter(stage=call.stage, start_year__in=years)
    }
    decisions = []
    for key, year in chosen.items():
        application = applications[key]
        participation = None
        if year is not None:
            cohort = cohorts[year]
            start_on = date(year, 1, 1)
            participation = Participation(
                municipality=application.municipality,
                cohort=cohort,
                start_on=start_on,
                end_on=add_months(start_on, call.programme_months) - timedelta(days=1),
                grant_amount=call.grant_amount,
                source=Participation.Source.SELECTION,
            )
            # The budget the application planned (grants.signals gives it on saving).
            participation.planned_budget = [  # type: ignore[attr-defined]
                PlannedLine(line.category, line.description, line.amount)
                for line in application.budget_lines.all()
            ]
            participation.save()
        changed = year != proposed[key]
        reason_code, reason_facts = explanation_facts(outcomes[key], checked.rules)
        decision = SelectionDecision.objects.create(
            application=application,
            participation=participation,
            result=by_key[key].result,
            proposed_start_year=proposed[key],
            start_year=year,
            reason_code=reason_code,
            reason_facts=reason_facts,
            change_reason=reasons.get(key, "") if changed else "",
            decided_by=user,
        )
        record_change(
            user,
            decision,
            gettext_noop("selection decided"),
            after={
                "result": decision.result,
                "proposed_start_year": decision.proposed_start_year,
                "start_year": decision.start_year,
                "change_reason": decision.change_reason,
            },
        )
        decisions.append(decision)
        application.move_to(Status.SELECTED if year is not None else Status.NOT_SELECTED, user)
        application.save(update_fields=["status", "updated_at"])
        # The contact person gets the decision by e-mail (below); the notice is the
        # municipality's record of it in the portal.
        notify(
            Kind.APPLICATION_DECIDED,
            recipients=municipality_people(application.municipality),
            about=application,
            link=reverse("application_detail", args=[application.pk]),
            actor=user,
        )
    # The decisions are sent in Estonian, the programme's language; kept as facts, they read
    # in any language.
    application_ids = [decision.application_id for decision in decisions]
    for pk in application_ids:
        send_on_commit(send_selection_decision, pk, settings.LANGUAGE_CODE)
    return decisions


def current_proposal(call: Call) -> tuple[Proposal, Rules, dict[int, Application]]:
    candidates, rules, applications = selection_inputs(call)
    return propose(candidates, rules), rules, applications


def _by_county(participations: QuerySet[Participation]) -> dict[str, list[str]]:
    """The names of the participations' municipalities by their county's EHAK code."""
    names: dict[str, list[str]] = defaultdict(list)
    for code, name in participations.order_by("municipality__name").values_list(
        "municipality__county__ehak_code", "municipality__name"
    ):
        names[code].append(name)
    return dict(names)


def county_map(
    call: Call | None = None,
    *,
    name_applicants: bool = True,
    period: tuple[date, date] | None = None,
) -> dict[str, object]:
    """The county map: each county's municipalities in the programme (participations alone,
    never applicants), the places its participant limit leaves free, and the applications of
    ``call`` (the current call if none is given).

    A report's map keeps to its ``period``: the participations active in it, the places free at
    its end and the applications submitted in it. Who applied is named only to ministry staff;
    the public map names the participants alone."""
    if period is None:
        participants = holding = Participation.objects.all()
        current = call or Call.objects.current()
        applications = Application.objects.submitted().filter(call=current)
    else:
        start, end = period
        participants = Participation.objects.active_between(start, end)
        # A place stays taken when its participation ends: the limit is over all calls.
        holding = Participation.objects.active_between(date.min, end)
        applications = Application.objects.submitted().filter(submitted_at__date__range=period)
        if call is not None:
            applications = applications.filter(call=call)
    counties = list(County.objects.values_list("ehak_code", "name", "participant_limit"))
    rules = Rules(
        places={},
        county_limits={code: limit for code, _name, limit in counties},
        taken=_by_county(holding),
    )
    applicants: dict[str, list[str]] = defaultdict(list)
    for code, name in applications.order_by("municipality__name").values_list(
        "municipality__county__ehak_code", "municipality__name"
    ):
        applicants[code].append(name)
    return {
        "tiles": county_tiles(
            [(code, name) for code, name, _limit in counties],
            participants=_by_county(participants),
            free_places={code: rules.free_places(code) for code, _name, _limit in counties},
            applications={code: len(names) for code, names in applicants.items()},
            applicants=applicants if name_applicants else {},
        ),
        "map_width": countymap.WIDTH,
        "map_height": countymap.HEIGHT,
        "map_for_period": period is not None,
    }
