"""Who may ask a municipality for more information, answer and withdraw, and when
(inquiries/rules.py); and what an open request does to the application's own rules: its
evaluation waits, and only the sections the request names change.

Municipality A (Rapla vald) is asked. The "evaluator" is ministry staff assigned to A's
applications; the county evaluator is assigned to some of them."""

import copy
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from actionplans.models import ActionPlan, ProgressUpdate
from actionplans.services import start_plan
from applications import evaluation
from applications.models import Application, Assignment
from grants import services as grants
from grants.models import BudgetChange, LedgerEntry
from inquiries import services
from inquiries.models import InformationRequest
from programme.models import Call
from tests.factories import CallFactory, decided_move, under_evaluation
from tests.rules.table import STAFF, check, row

OWN = {"own_municipality"}
EVALUATOR = {"evaluator"}
COUNTY_EVALUATOR = {"county_evaluator"}
NOT_EVALUATING = {"ministry", "admin"}


def past_call() -> Call:
    now = timezone.now()
    call = CallFactory(opens_at=now - timedelta(days=60), deadline_at=now - timedelta(days=1))
    evaluation.ensure_default_criteria(call)
    return call


@pytest.fixture
def world(people, participation, application):
    own, ministry = people["own_municipality"], people["ministry"]
    evaluator, county_evaluator = people["evaluator"], people["county_evaluator"]
    rapla = own.municipality

    def assign(application, who, *, conflict=None) -> Assignment:
        assignment = evaluation.assign_evaluator(
            application=application, evaluator=who, assigned_by=ministry
        )
        if conflict is not None:
            evaluation.declare_conflict(assignment=assignment, has_conflict=conflict, user=who)
        return assignment

    def ask(thing, who=ministry, sections=()) -> InformationRequest:
        return services.ask_for_information(
            thing=thing, question="Palun täpsustage.", sections=sections, user=who
        )

    # Under evaluation, both evaluators yet to declare; asked and answered once, and once
    # withdrawn: no request is open.
    evaluating = under_evaluation(past_call(), rapla)
    assign(evaluating, evaluator)
    assign(evaluating, county_evaluator)
    answered = services.answer_information_request(
        request=ask(evaluating), answer="Täpsustatud.", user=own
    )
    withdrawn = services.withdraw_information_request(request=ask(evaluating), user=ministry)

    # Under evaluation: the county evaluator declared no conflict, the evaluator one; the county
    # evaluator asked.
    declared = under_evaluation(past_call(), rapla)
    assign(declared, evaluator, conflict=True)
    assign(declared, county_evaluator, conflict=False)
    asked_by_county = ask(declared, county_evaluator)

    # Waiting for A's answer, the budget open for changes; the evaluator has nothing left but
    # to score, and a call whose every evaluation is done waits for an answer too.
    waiting = under_evaluation(past_call(), rapla)
    scoring = assign(waiting, evaluator, conflict=False)
    open_request = ask(waiting, sections=["budget"])
    done = under_evaluation(past_call(), rapla)
    ask(done)

    # The plan, submitted; its updates, one sent.
    plan = start_plan(participation=participation)
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.SUBMITTED)
    draft_plan = copy.copy(ActionPlan.objects.get(pk=plan.pk))
    draft_plan.status = ActionPlan.Status.DRAFT
    sent, not_sent = plan.updates.order_by("quarter_start_on")[:2]
    ProgressUpdate.objects.filter(pk=sent.pk).update(
        narrative="Kvartal läks hästi.", submitted_at=timezone.now(), submitted_by=own
    )

    # The ledger: expenditures waiting for review (one of them asked about), one approved, a
    # disbursement; a budget change waiting and one decided.
    staff_line, training_line, _reserve = participation.budget_lines.all()
    today = timezone.localdate()

    def expenditure(amount: str) -> LedgerEntry:
        return grants.record_expenditure(
            participation=participation,
            budget_line=staff_line,
            amount=Decimal(amount),
            entry_on=today,
            description="Koolitus",
            supplier="Tarnija OÜ",
            invoice_number=amount,
            document=None,
            user=own,
        )

    def change() -> BudgetChange:
        return grants.request_budget_change(
            participation=participation,
            deltas=decided_move(participation, staff_line, training_line, Decimal("10")),
            reason="Koolitusi on rohkem",
            user=own,
        )

    pending, asked_entry, approved = expenditure("1"), expenditure("2"), expenditure("3")
    grants.review_expenditure(entry=approved, approve=True, reason="", user=ministry)
    ask(asked_entry)
    disbursement = grants.record_disbursement(
        participation=participation, amount=Decimal("100"), entry_on=today, tranche=1, user=ministry
    )
    decided_change = change()
    grants.decide_budget_change(change=decided_change, approve=True, reason="", user=ministry)
    pending_change = change()

    def application_(pk: int) -> Application:
        return Application.objects.select_related("call", "municipality").get(pk=pk)

    def entry(pk: int) -> LedgerEntry:
        return LedgerEntry.objects.with_state().select_related("participation").get(pk=pk)

    def request(pk: int) -> InformationRequest:
        return InformationRequest.objects.get(pk=pk)

    return SimpleNamespace(
        draft=application_(application.pk),
        evaluating=application_(evaluating.pk),
        declared=application_(declared.pk),
        waiting=application_(waiting.pk),
        scoring=Assignment.objects.select_related("application__call").get(pk=scoring.pk),
        done_call=done.call,
        plan=ActionPlan.objects.select_related("participation").get(pk=plan.pk),
        draft_plan=draft_plan,
        sent_update=ProgressUpdate.objects.select_related("plan__participation").get(pk=sent.pk),
        unsent_update=ProgressUpdate.objects.get(pk=not_sent.pk),
        pending=entry(pending.pk),
        asked_entry=entry(asked_entry.pk),
        approved=entry(approved.pk),
        disbursement=entry(disbursement.pk),
        pending_change=BudgetChange.objects.get(pk=pending_change.pk),
        decided_change=BudgetChange.objects.get(pk=decided_change.pk),
        open_request=request(open_request.pk),
        asked_by_county=request(asked_by_county.pk),
        answered=request(answered.pk),
        withdrawn=request(withdrawn.pk),
    )


TABLE = [
    # An application under evaluation: the ministry asks, and an evaluator assigned to it who
    # declared no conflict; who declared one does not.
    row(
        "inquiries.ask",
        "under evaluation, evaluators not declared",
        lambda w: (w.evaluating,),
        allowed=STAFF,
        not_now=COUNTY_EVALUATOR,
    ),
    row(
        "inquiries.ask",
        "under evaluation, county evaluator declared none, evaluator a conflict",
        lambda w: (w.declared,),
        not_now=NOT_EVALUATING | COUNTY_EVALUATOR,  # the county evaluator's question is open
    ),
    row(
        "inquiries.ask",
        "a draft",
        lambda w: (w.draft,),
        not_now=STAFF | COUNTY_EVALUATOR,
    ),
    row("inquiries.ask", "asked already", lambda w: (w.waiting,), not_now=STAFF),
    # What else waits for the ministry's decision: only the ministry asks.
    row("inquiries.ask", "plan submitted", lambda w: (w.plan,), allowed=STAFF),
    row("inquiries.ask", "plan a draft", lambda w: (w.draft_plan,), not_now=STAFF),
    row("inquiries.ask", "update sent", lambda w: (w.sent_update,), allowed=STAFF),
    row("inquiries.ask", "update not sent", lambda w: (w.unsent_update,), not_now=STAFF),
    row("inquiries.ask", "expenditure waiting", lambda w: (w.pending,), allowed=STAFF),
    row("inquiries.ask", "expenditure asked about", lambda w: (w.asked_entry,), not_now=STAFF),
    row("inquiries.ask", "expenditure approved", lambda w: (w.approved,), not_now=STAFF),
    row("inquiries.ask", "a disbursement", lambda w: (w.disbursement,)),
    row("inquiries.ask", "budget change waiting", lambda w: (w.pending_change,), allowed=STAFF),
    row("inquiries.ask", "budget change decided", lambda w: (w.decided_change,), not_now=STAFF),
    # The municipality answers, once.
    row("inquiries.answer", "open", lambda w: (w.open_request,), allowed=OWN),
    row("inquiries.answer", "asked by the county", lambda w: (w.asked_by_county,), allowed=OWN),
    row("inquiries.answer", "answered", lambda w: (w.answered,), not_now=OWN),
    row("inquiries.answer", "withdrawn", lambda w: (w.withdrawn,), not_now=OWN),
    # Who asked, and the ministry, withdraw until it is answered.
    row("inquiries.withdraw", "open", lambda w: (w.open_request,), allowed=STAFF),
    row(
        "inquiries.withdraw",
        "asked by the county evaluator",
        lambda w: (w.asked_by_county,),
        allowed=STAFF | COUNTY_EVALUATOR,
    ),
    row("inquiries.withdraw", "answered", lambda w: (w.answered,), not_now=STAFF),
    row("inquiries.withdraw", "withdrawn", lambda w: (w.withdrawn,), not_now=STAFF),
    # While the request is open: only the sections it names change, the scoring and the
    # selection wait.
    row(
        "applications.edit",
        "waiting, a section the request opened",
        lambda w: (w.waiting, "budget"),
        allowed=OWN,
    ),
    row(
        "applications.edit",
        "waiting, a section the request did not open",
        lambda w: (w.waiting, "form"),
        not_now=OWN,
    ),
    row("applications.edit", "waiting, no section", lambda w: (w.waiting,), not_now=OWN),
    row(
        "applications.edit",
        "under evaluation, asked and answered",
        lambda w: (w.evaluating, "budget"),
        not_now=OWN,
    ),
    row("applications.score", "waiting", lambda w: (w.scoring,), not_now=EVALUATOR),
    row(
        "applications.confirm_selection",
        "past deadline, an answer awaited",
        lambda w: (w.done_call,),
        not_now=STAFF,
    ),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
