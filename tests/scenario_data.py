"""The scenario's programme, built through the services by the people who would act: a call
with its applications, evaluation and confirmed selection, a participation taken in from before
the portal, approved action plans, a year of ledger entries with reversals and budget changes,
counselling sessions, trainings, and a second call open now.

The figures are not written down here: tests/test_scenario.py recomputes every one of them from
the tables."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import cast

import pytest
from django.utils import timezone

from accounts.models import Role, User
from actionplans import services as plans
from actionplans.models import Activity, Component
from applications import evaluation
from applications import services as intake
from applications.models import Application, BudgetLine, Criterion
from counselling import services as counselling
from counselling.models import CounsellingSession, NextStep
from counselling.services import PlannedStep, SessionDetails
from grants import services as grants
from grants.models import BudgetLine as GrantLine
from learning import services as learning
from learning.models import Organiser, Training, TrainingParticipant, TrainingType
from programme import services as programme
from programme.models import Call, County, Participation
from tests.conftest import make_persona
from tests.factories import CallFactory, UserFactory, complete_application, decided_move

D = Decimal

# The applicants of the first call, by EHAK code: the people who apply for each.
PAIDE, MARJAMAA, KEHTNA, SAUE = "0567", "0502", "0293", "0725"
HARKU, TURI, KOHILA, VILJANDI, HIIUMAA = "0198", "0834", "0317", "0897", "0205"

# Each evaluator's scores of the eight default criteria, by municipality.
SCORES = {
    ("Rapla vald", "ministry"): [5, 4, 5, 4, 5, 4, 5, 4],
    ("Rapla vald", "county"): [4, 4, 4, 4, 4, 4, 4, 3],
    ("Märjamaa vald", "ministry"): [3, 3, 4, 3, 3, 3, 3, 3],
    ("Märjamaa vald", "county"): [2, 3, 3, 3, 2, 3, 3, 3],
    ("Keila linn", "ministry"): [4, 4, 4, 4, 4, 4, 4, 5],
    ("Paide linn", "ministry"): [4, 3, 4, 3, 4, 3, 4, 3],
}


def municipality_user(code: str) -> User:
    return UserFactory(role=Role.MUNICIPALITY, municipality_code=code)


def build() -> SimpleNamespace:
    now = timezone.now()
    today = timezone.localdate()
    world = SimpleNamespace(today=today)
    ministry, admin = make_persona("ministry"), make_persona("admin")
    provider, kov_a, kov_b = make_persona("provider"), make_persona("kov_a"), make_persona("kov_b")
    kov_c = municipality_user(PAIDE)
    other_evaluator = UserFactory(role=Role.MINISTRY, email="hindaja@sim.example")
    county_evaluator = UserFactory(
        role=Role.COUNTY_EVALUATOR,
        county=County.objects.get(ehak_code="0071"),
        email="mtn@rapla.example",
    )
    world.users = {
        "ministry": ministry,
        "admin": admin,
        "provider": provider,
        "kov_a": kov_a,
        "kov_b": kov_b,
        "kov_c": kov_c,
        "county_evaluator": county_evaluator,
    }

    # A municipality taken in from before the portal (Hiiu county).
    [imported] = programme.import_participations(
        [
            {
                "ehak_code": HIIUMAA,
                "stage": "I",
                "start_year": str(today.year - 1),
                "start_on": f"{today.year - 1}-01-01",
                "end_on": f"{today.year}-12-31",
                "grant_amount": "35000",
            }
        ],
        user=ministry,
    )
    assert not imported.refused

    # The first call: six municipalities apply, four hand in, one takes its application back.
    call = CallFactory(
        stage=Call.Stage.SECOND,
        title="Teine etapp, algus eelmisel aastal",
        opens_at=now - timedelta(days=60),
        deadline_at=now + timedelta(days=1),
        years={today.year - 1: 3},
    )

    def apply(user: User, call: Call, submitted_days_ago: int | None) -> Application:
        application = intake.start_application(call=call, municipality=user.municipality, user=user)
        complete_application(application)
        BudgetLine.objects.create(
            application=application,
            category="training",
            description="Koolitused",
            amount=D("8000.00"),
        )
        if submitted_days_ago is not None:
            intake.submit_application(
                application=application,
                user=user,
                at=max(call.opens_at, now - timedelta(days=submitted_days_ago)),
            )
        return application

    marjamaa_user, saue_user = municipality_user(MARJAMAA), municipality_user(SAUE)
    applications = {
        "Rapla vald": apply(kov_a, call, 40),
        "Keila linn": apply(kov_b, call, 35),
        "Paide linn": apply(kov_c, call, 30),
        "Märjamaa vald": apply(marjamaa_user, call, 20),
    }
    apply(municipality_user(KEHTNA), call, None)  # a draft never handed in
    # The second call opens while the first is still decided: Türi and Kohila start their
    # applications while their counties have a place; the selection fills both, and Türi hands
    # in anyway.
    current = cast(Call, CallFactory(stage=Call.Stage.SECOND, title="Teine etapp, uus voor"))
    turi_user = municipality_user(TURI)
    turi = apply(turi_user, current, None)
    apply(municipality_user(KOHILA), current, None)  # still writing
    withdrawn = apply(saue_user, call, 25)
    intake.withdraw_application(application=withdrawn, user=saue_user)

    # The deadline passes; the ministry starts the evaluation.
    Call.objects.filter(pk=call.pk).update(deadline_at=now - timedelta(days=1))
    call.refresh_from_db()
    assert intake.start_evaluation(call=call, user=ministry) == 4
    # The ministry weighs the activity plan double, before anyone scores.
    Criterion.objects.filter(call=call, order=8).update(weight=D("2.00"))

    evaluators = {"ministry": ministry, "county": county_evaluator}
    criteria = list(call.criteria.order_by("order"))
    for name, application in applications.items():
        for who in ("ministry", "county"):
            if (name, who) not in SCORES:
                continue
            assignment = evaluation.assign_evaluator(
                application=application, evaluator=evaluators[who], assigned_by=ministry
            )
            evaluation.declare_conflict(
                assignment=assignment, has_conflict=False, user=evaluators[who]
            )
            evaluation.submit_scores(
                assignment=assignment,
                scores={
                    criterion.pk: (value, "Põhjendus")
                    for criterion, value in zip(criteria, SCORES[name, who], strict=True)
                },
                user=evaluators[who],
            )
    # A second ministry evaluator of Keila declares a conflict of interest.
    conflicted = evaluation.assign_evaluator(
        application=applications["Keila linn"], evaluator=other_evaluator, assigned_by=ministry
    )
    evaluation.declare_conflict(assignment=conflicted, has_conflict=True, user=other_evaluator)

    evaluation.confirm_selection(call=call, start_years={}, reasons={}, user=ministry)
    world.call = call
    participations = {
        p.municipality.name: p for p in Participation.objects.select_related("municipality")
    }
    rapla, keila, paide = (participations[n] for n in ("Rapla vald", "Keila linn", "Paide linn"))
    world.participations = participations
    programme.assign_providers(
        assignments={rapla: provider.service_provider, keila: provider.service_provider},
        user=ministry,
    )
    for participation in (rapla, keila):
        participation.refresh_from_db()

    # The second call, open now: three hand in, one is still writing.
    apply(municipality_user(HARKU), current, 3)
    intake.submit_application(application=turi, user=turi_user, at=now - timedelta(days=2))
    apply(municipality_user(VILJANDI), current, 1)
    world.current_call = current

    # Action plans: Rapla's and Keila's approved, Paide's waiting for the ministry.
    for participation, user, approve in [
        (rapla, kov_a, True),
        (keila, kov_b, True),
        (paide, kov_c, False),
    ]:
        plan = plans.start_plan(participation=participation, user=user)
        for component in Component:
            Activity.objects.create(
                plan=plan,
                title=f"Tegevus: {component.label}",
                component=component,
                start_month=1,
                end_month=6,
                responsible="Koordinaator",
            )
        plans.submit_plan(plan=plan, user=user)
        if approve:
            plans.approve_plan(plan=plan, user=ministry)

    build_ledgers(world, ministry, kov_a, kov_b, kov_c)
    build_counselling(world, provider, kov_a, kov_b)
    build_trainings(world, ministry, provider, kov_a, kov_b, kov_c)
    return world


def build_ledgers(world: SimpleNamespace, ministry: User, kov_a: User, kov_b: User, kov_c: User):
    """A year of Rapla's ledger, some of Keila's and Paide's; Hiiumaa's stays empty."""
    today = world.today
    start = today - timedelta(days=365)
    rapla, keila, paide = (
        world.participations[name] for name in ("Rapla vald", "Keila linn", "Paide linn")
    )

    def lines(participation: Participation) -> dict[str, GrantLine]:
        return {line.category: line for line in participation.budget_lines.all()}

    def spend(participation, user, category, amount, days, supplier="Tarnija OÜ"):
        return grants.record_expenditure(
            participation=participation,
            budget_line=lines(participation)[category],
            amount=D(amount),
            entry_on=start + timedelta(days=days),
            description=f"Arve {amount}",
            supplier=supplier,
            invoice_number=f"A-{days}",
            document=None,
            user=user,
        )

    def review(entry, approve, reason=""):
        grants.review_expenditure(entry=entry, approve=approve, reason=reason, user=ministry)

    def disburse(participation, amount, days, tranche):
        return grants.record_disbursement(
            participation=participation,
            amount=D(amount),
            entry_on=start + timedelta(days=days),
            tranche=tranche,
            user=ministry,
        )

    # Rapla: tranches, approved, rejected and waiting expenditures, reversals by both sides.
    disburse(rapla, "17500.00", 0, 1)
    review(spend(rapla, kov_a, "staff", "4200.50", 30), True)
    review(spend(rapla, kov_a, "training", "1250.25", 60), True)
    review(spend(rapla, kov_a, "training", "980.00", 90), False, "Ei ole abikõlblik")
    mistaken = spend(rapla, kov_a, "staff", "300.00", 120)
    grants.reverse_entry(entry=mistaken, reason="Vale summa", user=kov_a)
    approved_then_reversed = spend(rapla, kov_a, "staff", "610.40", 200)
    review(approved_then_reversed, True)
    grants.reverse_entry(entry=approved_then_reversed, reason="Topeltarve", user=ministry)
    wrong_tranche = disburse(rapla, "5000.00", 250, 2)
    grants.reverse_entry(entry=wrong_tranche, reason="Vale makse", user=ministry)
    disburse(rapla, "10000.00", 251, 2)
    line = lines(rapla)
    moved = grants.request_budget_change(
        participation=rapla,
        deltas=decided_move(rapla, line["other"], line["training"], D("3000.00")),
        reason="Rohkem koolitusi",
        user=kov_a,
    )
    grants.decide_budget_change(change=moved, approve=True, reason="", user=ministry)
    refused = grants.request_budget_change(
        participation=rapla,
        deltas=decided_move(rapla, line["staff"], line["training"], D("1000.00")),
        reason="Veel koolitusi",
        user=kov_a,
    )
    grants.decide_budget_change(
        change=refused, approve=False, reason="Palgaraha jääb", user=ministry
    )
    spend(rapla, kov_a, "other", "2000.00", 300)
    spend(rapla, kov_a, "training", "45.99", 365)

    # Keila: a tranche, an approved and a waiting expenditure, one attempt over a line's budget,
    # and a budget change still waiting.
    disburse(keila, "17500.00", 10, 1)
    review(spend(keila, kov_b, "staff", "9000.00", 100), True)
    spend(keila, kov_b, "training", "500.00", 340)
    with pytest.raises(grants.Refused):
        spend(keila, kov_b, "training", "9000.00", 341)
    keila_lines = lines(keila)
    grants.request_budget_change(
        participation=keila,
        deltas=decided_move(keila, keila_lines["other"], keila_lines["staff"], D("500.00")),
        reason="Koordinaatori tunnid",
        user=kov_b,
    )

    # Paide: the first tranche only.
    disburse(paide, "17500.00", 20, 1)


def build_counselling(world: SimpleNamespace, provider: User, kov_a: User, kov_b: User) -> None:
    today = world.today
    rapla, keila = world.participations["Rapla vald"], world.participations["Keila linn"]

    def log(participation, held_days_ago, hours, steps=()):
        return counselling.log_session(
            participation=participation,
            details=SessionDetails(
                held_on=today - timedelta(days=held_days_ago),
                duration_hours=D(hours),
                format=CounsellingSession.Format.ON_SITE,
                topics=["action_plan", "root_causes"],
                summary="Arutasime tegevuskava.",
            ),
            attendees=[("Tiina Rapla", "arendusjuht")],
            next_steps=[
                PlannedStep(text, "Tiina Rapla", today + timedelta(days=due)) for text, due in steps
            ],
            user=provider,
        )

    confirmed = log(rapla, 300, "1.50", steps=[("Saata tegevuskava mustand", -10)])
    counselling.answer_session(session=confirmed, confirm=True, comment="", user=kov_a)
    disputed = log(rapla, 20, "2.25")
    counselling.answer_session(
        session=disputed, confirm=False, comment="Kestis tund aega", user=kov_a
    )
    log(rapla, 3, "0.75", steps=[("Kokku kutsuda võrgustik", 7)])  # awaits Rapla's word
    keila_session = log(keila, 50, "3.00", steps=[("Koostada eelarve", -5)])
    counselling.answer_session(session=keila_session, confirm=True, comment="", user=kov_b)
    counselling.update_step_status(
        step=keila_session.next_steps.get(), status=NextStep.Status.DONE, user=kov_b
    )


def build_trainings(world, ministry, provider, kov_a, kov_b, kov_c) -> None:
    today = world.today

    def training(user, title, organiser, service_provider, days, capacity, kind):
        return learning.save_training(
            training=None,
            user=user,
            title=title,
            training_type=kind,
            organiser=organiser,
            service_provider=service_provider,
            organiser_name="",
            starts_on=today + timedelta(days=days),
            place="Rapla, Viljandi mnt 4",
            is_online=False,
            capacity=capacity,
            description="",
        )

    def register(training, user, name, kind=TrainingParticipant.Kind.OFFICIAL):
        return learning.register_participant(
            training=training, user=user, name=name, kind=kind, role="spetsialist"
        )

    held = training(
        ministry, "Ennetuse alused", Organiser.PPA, None, 14, 10, TrainingType.PREVENTION
    )
    mari = register(held, kov_a, "Mari Maasikas")
    jaan = register(held, kov_a, "Jaan Tamm", TrainingParticipant.Kind.NETWORK_MEMBER)
    kati = register(held, kov_b, "Kati Kask")
    register(held, kov_c, "Peeter Paju")
    # The day comes and goes; PPA's trainer tells the ministry who came.
    Training.objects.filter(pk=held.pk).update(starts_on=today - timedelta(days=1))
    held.refresh_from_db()
    learning.record_attendance(
        training=held, user=ministry, attendance={mari.pk: True, jaan.pk: False, kati.pk: True}
    )
    upcoming = training(
        provider,
        "Juhtumikorralduse mudel",
        Organiser.SERVICE_PROVIDER,
        provider.service_provider,
        10,
        3,
        TrainingType.CASE_MANAGEMENT,
    )
    register(upcoming, kov_a, "Mari Maasikas")
    register(upcoming, kov_b, "Kalle Keila")
    world.trainings = {"held": held, "upcoming": upcoming}
