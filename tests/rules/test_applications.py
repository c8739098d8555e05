"""Who may change what in the intake and the evaluation, and when (applications/rules.py).

Municipality A (Rapla vald) applies; B (Keila linn) is in the programme, so never applies again.
The "evaluator" is ministry staff assigned to A's applications under evaluation; "ministry" and
"admin" evaluate nothing."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from applications import evaluation, services
from applications.models import Application, Assignment
from programme.models import Call, Municipality
from tests.counselling.conftest import make_participation
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    UserFactory,
    complete_application,
    under_evaluation,
)
from tests.rules.table import STAFF, check, row

OWN = {"own_municipality"}
EVALUATOR = {"evaluator"}
COUNTY_EVALUATOR = {"county_evaluator"}
# Ministry staff and admins who evaluate nothing in the call.
NOT_EVALUATING = {"ministry", "admin"}


def past_call() -> Call:
    """A call whose deadline passed yesterday, with the default criteria."""
    now = timezone.now()
    call = CallFactory(opens_at=now - timedelta(days=60), deadline_at=now - timedelta(days=1))
    evaluation.ensure_default_criteria(call)
    return call


def close(application: Application) -> None:
    Call.objects.filter(pk=application.call_id).update(
        deadline_at=timezone.now() - timedelta(seconds=1)
    )


@pytest.fixture
def world(people):
    own, ministry = people["own_municipality"], people["ministry"]
    evaluator, county_evaluator = people["evaluator"], people["county_evaluator"]
    rapla = own.municipality
    kehtna, kohila, marjamaa = (
        Municipality.objects.get(ehak_code=code) for code in ("0293", "0317", "0502")
    )
    make_participation(people["other_municipality"])
    now = timezone.now()

    def of_a() -> Application:
        return complete_application(ApplicationFactory(call=CallFactory(), municipality=rapla))

    def submitted_by_a() -> Application:
        return services.submit_application(application=of_a(), user=own)

    def assign(application, who, *, conflict=None, scores=False) -> Assignment:
        assignment = evaluation.assign_evaluator(
            application=application, evaluator=who, assigned_by=ministry
        )
        if conflict is not None:
            evaluation.declare_conflict(assignment=assignment, has_conflict=conflict, user=who)
        if scores:
            criteria = application.call.criteria.all()
            evaluation.submit_scores(
                assignment=assignment, scores={c.pk: (4, "") for c in criteria}, user=who
            )
        return assignment

    # The intake: A's applications, one a call.
    draft = of_a()
    submitted = submitted_by_a()
    withdrawn = services.withdraw_application(application=submitted_by_a(), user=own)
    late_draft = of_a()
    close(late_draft)
    late_submitted = submitted_by_a()
    close(late_submitted)

    # A call being scored: the evaluator has one of each state, the county evaluator one.
    scoring = past_call()
    a_scored = under_evaluation(scoring, rapla)
    undeclared = assign(a_scored, evaluator)
    county = assign(a_scored, county_evaluator)
    declared = assign(under_evaluation(scoring, kehtna), evaluator, conflict=False)
    conflicted = assign(under_evaluation(scoring, kohila), evaluator, conflict=True)
    scored = assign(under_evaluation(scoring, marjamaa), evaluator, conflict=False, scores=True)

    # A call whose evaluator has scored all of theirs; one where they declared a conflict.
    done = past_call()
    a_done = under_evaluation(done, rapla)
    assign(a_done, evaluator, conflict=False, scores=True)
    conflict = past_call()
    assign(under_evaluation(conflict, rapla), evaluator, conflict=True)

    # A decided call: A and Kehtna not selected (no participation: A may apply again); the
    # evaluator never did their Kehtna assignment.
    decided = past_call()
    a_decided = under_evaluation(decided, rapla)
    kehtna_decided = under_evaluation(decided, kehtna)
    assign(a_decided, evaluator, conflict=False, scores=True)
    assign(kehtna_decided, UserFactory(email="kolmas@sim.example"), conflict=False, scores=True)
    never_done = assign(kehtna_decided, evaluator)
    evaluation.confirm_selection(
        call=decided,
        start_years={a_decided.pk: None, kehtna_decided.pk: None},
        reasons={a_decided.pk: "Loobus", kehtna_decided.pk: "Loobus"},
        user=ministry,
    )

    def application(pk: int) -> Application:
        return Application.objects.select_related("call").get(pk=pk)

    def assignment(pk: int) -> Assignment:
        return Assignment.objects.select_related("application__call").get(pk=pk)

    return SimpleNamespace(
        open_call=CallFactory(),
        future_call=CallFactory(opens_at=now + timedelta(days=1)),
        closed_call=past_call(),
        applied_call=draft.call,
        draft=application(draft.pk),
        submitted=application(submitted.pk),
        withdrawn=application(withdrawn.pk),
        late_draft=application(late_draft.pk),
        late_submitted=application(late_submitted.pk),
        under_evaluation=application(a_scored.pk),
        evaluated=application(a_done.pk),
        decided=application(a_decided.pk),
        scoring=scoring,
        waiting=application(late_submitted.pk).call,
        done=done,
        conflict=conflict,
        decided_call=decided,
        undeclared=assignment(undeclared.pk),
        county=assignment(county.pk),
        declared=assignment(declared.pk),
        conflicted=assignment(conflicted.pk),
        scored=assignment(scored.pk),
        never_done=assignment(never_done.pk),
    )


TABLE = [
    # A municipality applies once a call, while it is open, and never once in the programme
    # (B is: forbidden).
    row("applications.start", "open call", lambda w: (w.open_call,), allowed=OWN),
    row("applications.start", "A has applied", lambda w: (w.applied_call,), not_now=OWN),
    row("applications.start", "not yet open", lambda w: (w.future_call,), not_now=OWN),
    row("applications.start", "past deadline", lambda w: (w.closed_call,), not_now=OWN),
    # A's sections change while a draft and the call is open; submitted, withdraw it first.
    row("applications.edit", "draft", lambda w: (w.draft,), allowed=OWN),
    row("applications.edit", "withdrawn", lambda w: (w.withdrawn,), allowed=OWN),
    row("applications.edit", "submitted", lambda w: (w.submitted,), not_now=OWN),
    row("applications.edit", "draft past deadline", lambda w: (w.late_draft,), not_now=OWN),
    row("applications.edit", "submitted past deadline", lambda w: (w.late_submitted,), not_now=OWN),
    row("applications.edit", "under evaluation", lambda w: (w.under_evaluation,), not_now=OWN),
    row("applications.edit", "decided", lambda w: (w.decided,), not_now=OWN),
    row("applications.submit", "draft", lambda w: (w.draft,), allowed=OWN),
    row("applications.submit", "withdrawn", lambda w: (w.withdrawn,), allowed=OWN),
    row("applications.submit", "submitted", lambda w: (w.submitted,), not_now=OWN),
    row("applications.submit", "draft past deadline", lambda w: (w.late_draft,), not_now=OWN),
    row("applications.submit", "under evaluation", lambda w: (w.under_evaluation,), not_now=OWN),
    row("applications.withdraw", "draft", lambda w: (w.draft,), not_now=OWN),
    row("applications.withdraw", "submitted", lambda w: (w.submitted,), allowed=OWN),
    row(
        "applications.withdraw",
        "submitted past deadline",
        lambda w: (w.late_submitted,),
        not_now=OWN,
    ),
    row("applications.withdraw", "under evaluation", lambda w: (w.under_evaluation,), not_now=OWN),
    row("applications.withdraw", "decided", lambda w: (w.decided,), not_now=OWN),
    row("applications.export", "every application", lambda w: (), allowed=STAFF),
    # The ministry's part of the evaluation.
    row("applications.edit_criteria", "no scores yet", lambda w: (w.open_call,), allowed=STAFF),
    row("applications.edit_criteria", "scoring started", lambda w: (w.scoring,), not_now=STAFF),
    row("applications.start_evaluation", "call open", lambda w: (w.open_call,), not_now=STAFF),
    row(
        "applications.start_evaluation",
        "past deadline, submitted waiting",
        lambda w: (w.waiting,),
        allowed=STAFF,
    ),
    row(
        "applications.start_evaluation",
        "past deadline, evaluation started",
        lambda w: (w.scoring,),
        not_now=STAFF,
    ),
    row("applications.assign", "draft", lambda w: (w.draft,), not_now=STAFF),
    row("applications.assign", "submitted", lambda w: (w.late_submitted,), not_now=STAFF),
    row("applications.assign", "under evaluation", lambda w: (w.under_evaluation,), allowed=STAFF),
    row("applications.assign", "decided", lambda w: (w.decided,), not_now=STAFF),
    # An assigned evaluator: a declaration first, then the scores, while under evaluation.
    row(
        "applications.declare_conflict",
        "not declared",
        lambda w: (w.undeclared,),
        allowed=EVALUATOR,
    ),
    row(
        "applications.declare_conflict",
        "the county evaluator's, not declared",
        lambda w: (w.county,),
        allowed=COUNTY_EVALUATOR,
    ),
    row("applications.declare_conflict", "no conflict", lambda w: (w.declared,), allowed=EVALUATOR),
    row("applications.declare_conflict", "conflict", lambda w: (w.conflicted,), allowed=EVALUATOR),
    row("applications.declare_conflict", "scored", lambda w: (w.scored,), not_now=EVALUATOR),
    row(
        "applications.declare_conflict",
        "evaluation ended",
        lambda w: (w.never_done,),
        not_now=EVALUATOR,
    ),
    row("applications.score", "not declared", lambda w: (w.undeclared,), not_now=EVALUATOR),
    row(
        "applications.score",
        "the county evaluator's, not declared",
        lambda w: (w.county,),
        not_now=COUNTY_EVALUATOR,
    ),
    row("applications.score", "no conflict", lambda w: (w.declared,), allowed=EVALUATOR),
    row("applications.score", "conflict", lambda w: (w.conflicted,), not_now=EVALUATOR),
    row("applications.score", "scored", lambda w: (w.scored,), not_now=EVALUATOR),
    row("applications.score", "evaluation ended", lambda w: (w.never_done,), not_now=EVALUATOR),
    # The results: hidden from an evaluator of the call until their own evaluations are done.
    row(
        "applications.see_results",
        "scoring, evaluator not finished",
        lambda w: (w.scoring,),
        allowed=NOT_EVALUATING,
        not_now=EVALUATOR,
    ),
    row("applications.see_results", "evaluator finished", lambda w: (w.done,), allowed=STAFF),
    row(
        "applications.see_results",
        "evaluator declared a conflict",
        lambda w: (w.conflict,),
        allowed=NOT_EVALUATING,
        not_now=EVALUATOR,
    ),
    row("applications.see_results", "decided", lambda w: (w.decided_call,), allowed=STAFF),
    row("applications.agree", "submitted", lambda w: (w.late_submitted,), not_now=STAFF),
    row(
        "applications.agree",
        "under evaluation, evaluator not finished",
        lambda w: (w.under_evaluation,),
        allowed=NOT_EVALUATING,
        not_now=EVALUATOR,
    ),
    row("applications.agree", "evaluator finished", lambda w: (w.evaluated,), allowed=STAFF),
    row("applications.agree", "decided", lambda w: (w.decided,), not_now=STAFF),
    row("applications.confirm_selection", "call open", lambda w: (w.open_call,), not_now=STAFF),
    row(
        "applications.confirm_selection",
        "evaluator not finished",
        lambda w: (w.scoring,),
        allowed=NOT_EVALUATING,
        not_now=EVALUATOR,
    ),
    row("applications.confirm_selection", "evaluator finished", lambda w: (w.done,), allowed=STAFF),
    row("applications.confirm_selection", "decided", lambda w: (w.decided_call,), not_now=STAFF),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
