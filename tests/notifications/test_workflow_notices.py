"""Every change that waits on someone tells the people who must act, never everyone: one notice
each, made in the change's transaction, e-mailed after it commits to whoever wants it at once."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from actionplans import services as plans
from actionplans.models import ActionPlan, Activity, Component
from applications import evaluation
from applications import services as applications
from counselling import services as counselling
from counselling.models import CounsellingSession
from grants import services as grants
from grants.models import BudgetChange, LedgerEntry
from grants.services import PlannedLine
from notifications.models import Delivery, Kind, Notification, Preference
from practices import services as practices
from programme.models import Municipality, Participation
from reports import rendering
from reports import services as reports
from reports.models import Report
from tests.conftest import RAPLA_VALD
from tests.counselling.conftest import details, log, make_participation
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    UserFactory,
    complete_application,
    decided_move,
    scored,
    under_evaluation,
)
from tests.grants.conftest import expenditure_kwargs
from tests.practices.conftest import make_practice

pytestmark = pytest.mark.django_db


@dataclass
class Cast:
    """Everyone who could be told: two people of each role that acts, and bystanders."""

    ministry: User
    ministry_2: User
    admin: User
    kov_a: User  # Rapla vald
    kov_a_2: User
    kov_a_gone: User  # Rapla vald, no longer active
    kov_b: User  # Keila linn
    provider: User  # counsels Rapla vald
    provider_2: User  # the same organisation
    other_provider: User  # counsels Keila linn
    evaluator: User  # Rapla county's safety council

    @property
    def everyone(self) -> list[User]:
        return list(vars(self).values())

    @property
    def rapla_people(self) -> list[User]:
        return [self.kov_a, self.kov_a_2]

    @property
    def ministry_staff(self) -> list[User]:
        return [self.ministry, self.ministry_2]

    @property
    def rapla_provider(self) -> list[User]:
        return [self.provider, self.provider_2]


@pytest.fixture
def cast(ministry, admin, kov_a, kov_b, provider) -> Cast:
    rapla = Municipality.objects.get(ehak_code=RAPLA_VALD)
    return Cast(
        ministry=ministry,
        ministry_2=UserFactory(role=Role.MINISTRY),
        admin=admin,
        kov_a=kov_a,
        kov_a_2=UserFactory(role=Role.MUNICIPALITY, municipality_code=RAPLA_VALD),
        kov_a_gone=UserFactory(
            role=Role.MUNICIPALITY, municipality_code=RAPLA_VALD, is_active=False
        ),
        kov_b=kov_b,
        provider=provider,
        provider_2=UserFactory(role=Role.PROVIDER, service_provider=provider.service_provider),
        other_provider=UserFactory(role=Role.PROVIDER),
        evaluator=UserFactory(role=Role.COUNTY_EVALUATOR, county=rapla.county),
    )


BUDGET = [
    PlannedLine("staff", "Koordinaator", Decimal("20000.00")),
    PlannedLine("training", "Koolitused", Decimal("10000.00")),
]


@pytest.fixture
def rapla(cast) -> Participation:
    """Rapla vald in the programme, counselled by the provider persona's organisation."""
    return make_participation(cast.kov_a, cast.provider.service_provider, budget=BUDGET)


@pytest.fixture
def keila(cast) -> Participation:
    """Keila linn in the programme, counselled by another organisation."""
    return make_participation(cast.kov_b, cast.other_provider.service_provider, budget=list(BUDGET))


@contextmanager
def changes(capture) -> Iterator[list[Notification]]:
    """The notices the block makes; its commit callbacks (the e-mails) run when it ends, and
    the outbox holds only what the block sent."""
    mail.outbox.clear()
    last = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    made: list[Notification] = []
    with capture(execute=True):
        yield made
    made.extend(Notification.objects.filter(pk__gt=last).select_related("recipient"))


def assert_told(made: list[Notification], kind: Kind, expected: list[User], cast: Cast) -> None:
    """Exactly the expected people got one notice of the kind, and one e-mail each; no one
    else of the cast got either."""
    assert sorted((n.recipient.email, n.kind) for n in made) == sorted(
        (person.email, kind) for person in expected
    )
    emailed = Counter(address for message in mail.outbox for address in message.to)
    assert {person.email: emailed[person.email] for person in cast.everyone} == {
        person.email: int(person in expected) for person in cast.everyone
    }


def assert_told_no_one(made: list[Notification], cast: Cast) -> None:
    assert made == []
    assert not {a for m in mail.outbox for a in m.to} & {p.email for p in cast.everyone}


# --- Applications ----------------------------------------------------------------------------


def test_a_submitted_application_tells_the_ministry_staff(cast, django_capture_on_commit_callbacks):
    application = complete_application(
        ApplicationFactory(call=CallFactory(), municipality=cast.kov_a.municipality)
    )
    with changes(django_capture_on_commit_callbacks) as made:
        applications.submit_application(application=application, user=cast.kov_a)
    assert_told(made, Kind.APPLICATION_SUBMITTED, cast.ministry_staff, cast)
    notice = made[0]
    assert notice.about == application and notice.actor == cast.kov_a
    assert notice.link == reverse("application_detail", args=[application.pk])
    # The contact person's receipt still goes, beside the notices.
    assert any(m.to == [application.contact_email] for m in mail.outbox)


def test_a_selection_tells_each_applicants_people_of_their_own_decision(
    cast, django_capture_on_commit_callbacks
):
    call = CallFactory(
        opens_at=timezone.now() - timedelta(days=60),
        deadline_at=timezone.now() - timedelta(days=1),
    )
    rapla = under_evaluation(call, cast.kov_a.municipality)
    keila = under_evaluation(call, cast.kov_b.municipality)
    scored(rapla, cast.evaluator, 4)  # the county evaluator sees Rapla's application
    scored(keila, cast.ministry_2, 4)
    with changes(django_capture_on_commit_callbacks) as made:
        evaluation.confirm_selection(call=call, start_years={}, reasons={}, user=cast.ministry)
    assert_told(made, Kind.APPLICATION_DECIDED, [*cast.rapla_people, cast.kov_b], cast)
    about = {notice.recipient: notice.about for notice in made}
    assert about == {cast.kov_a: rapla, cast.kov_a_2: rapla, cast.kov_b: keila}
    # The decision itself still goes by e-mail to each application's contact person.
    assert sum(m.to == ["kontakt@rapla.example"] for m in mail.outbox) == 2


# --- Action plans ----------------------------------------------------------------------------


def complete_plan(participation: Participation) -> ActionPlan:
    plan = plans.start_plan(participation=participation)
    for component in Component:
        Activity.objects.create(
            plan=plan,
            title=f"Tegevus {component}",
            component=component,
            start_month=1,
            end_month=6,
            responsible="Koordinaator",
        )
    return plan


def test_a_plan_goes_to_the_ministry_and_its_decisions_back_to_the_municipality(
    cast, rapla, django_capture_on_commit_callbacks
):
    plan = complete_plan(rapla)
    with changes(django_capture_on_commit_callbacks) as made:
        plans.submit_plan(plan=plan, user=cast.kov_a)
    assert_told(made, Kind.PLAN_SUBMITTED, cast.ministry_staff, cast)
    assert made[0].link == reverse("plan_detail", args=[plan.pk])

    with changes(django_capture_on_commit_callbacks) as made:
        plans.return_plan(plan=plan, comment="Lisage mõõdikud.", user=cast.ministry)
    assert_told(made, Kind.PLAN_RETURNED, cast.rapla_people, cast)
    assert {n.note for n in made} == {"Lisage mõõdikud."}
    assert {n.actor for n in made} == {cast.ministry}

    with changes(django_capture_on_commit_callbacks) as made:
        plans.submit_plan(plan=plan, user=cast.kov_a_2)
    assert_told(made, Kind.PLAN_SUBMITTED, cast.ministry_staff, cast)

    with changes(django_capture_on_commit_callbacks) as made:
        plans.approve_plan(plan=plan, user=cast.ministry_2)
    assert_told(made, Kind.PLAN_APPROVED, cast.rapla_people, cast)


# --- Counselling -----------------------------------------------------------------------------


def fresh(session: CounsellingSession) -> CounsellingSession:
    return CounsellingSession.objects.get(pk=session.pk)


def correct(session: CounsellingSession, user: User, summary: str) -> None:
    counselling.correct_session(
        session=fresh(session),
        details=details(summary=summary),
        attendees=[("Tiina Rapla", "arendusjuht")],
        added_steps=[],
        user=user,
    )


def test_a_logged_session_awaits_the_municipality_and_a_dispute_goes_to_its_provider(
    cast, rapla, django_capture_on_commit_callbacks
):
    with changes(django_capture_on_commit_callbacks) as made:
        session = log(rapla, cast.provider)
    assert_told(made, Kind.SESSION_AWAITING_CONFIRMATION, cast.rapla_people, cast)
    assert made[0].link == reverse("session_detail", args=[session.pk])

    # Corrected while it still awaits their word: nothing new is asked of the municipality.
    with changes(django_capture_on_commit_callbacks) as made:
        correct(session, cast.provider, "Täpsustatud kokkuvõte.")
    assert_told_no_one(made, cast)

    with changes(django_capture_on_commit_callbacks) as made:
        counselling.answer_session(
            session=fresh(session), confirm=False, comment="Kuupäev on vale.", user=cast.kov_a
        )
    assert_told(made, Kind.SESSION_DISPUTED, cast.rapla_provider, cast)
    assert {n.note for n in made} == {"Kuupäev on vale."}

    # Corrected after the dispute, it awaits the municipality's word again.
    with changes(django_capture_on_commit_callbacks) as made:
        correct(session, cast.provider_2, "Parandatud kuupäev.")
    assert_told(made, Kind.SESSION_AWAITING_CONFIRMATION, cast.rapla_people, cast)

    with changes(django_capture_on_commit_callbacks) as made:
        counselling.answer_session(
            session=fresh(session), confirm=True, comment="", user=cast.kov_a
        )
    assert_told_no_one(made, cast)


# --- Grants ----------------------------------------------------------------------------------


def expenditure(participation: Participation, user: User, amount: str = "500.00") -> LedgerEntry:
    line = participation.budget_lines.get(category="staff")
    return grants.record_expenditure(**expenditure_kwargs(participation, line, amount, user))


def test_a_reviewed_expenditure_tells_the_municipality(
    cast, rapla, django_capture_on_commit_callbacks
):
    with changes(django_capture_on_commit_callbacks) as made:
        accepted = expenditure(rapla, cast.kov_a)
        refused = expenditure(rapla, cast.kov_a_2)
    assert_told_no_one(made, cast)  # recording asks for nothing until it is reviewed

    with changes(django_capture_on_commit_callbacks) as made:
        grants.review_expenditure(entry=accepted, approve=True, reason="", user=cast.ministry)
    assert_told(made, Kind.EXPENDITURE_ACCEPTED, cast.rapla_people, cast)
    assert {n.about for n in made} == {accepted}
    assert made[0].link == reverse("ledger", args=[rapla.pk])

    with changes(django_capture_on_commit_callbacks) as made:
        grants.review_expenditure(
            entry=refused, approve=False, reason="Arve puudub.", user=cast.ministry
        )
    assert_told(made, Kind.EXPENDITURE_REFUSED, cast.rapla_people, cast)
    assert {(n.about, n.note) for n in made} == {(refused, "Arve puudub.")}


def test_a_budget_change_goes_to_the_ministry_and_its_decision_back(
    cast, rapla, django_capture_on_commit_callbacks
):
    staff, training = (rapla.budget_lines.get(category=c) for c in ("staff", "training"))
    with changes(django_capture_on_commit_callbacks) as made:
        change = grants.request_budget_change(
            participation=rapla,
            deltas=decided_move(rapla, staff, training, Decimal("1000.00")),
            reason="Rohkem koolitusi.",
            user=cast.kov_a,
        )
    assert_told(made, Kind.BUDGET_CHANGE_REQUESTED, cast.ministry_staff, cast)
    assert {n.about for n in made} == {change}

    with changes(django_capture_on_commit_callbacks) as made:
        grants.decide_budget_change(
            change=change, approve=False, reason="Põhjendus puudub.", user=cast.ministry
        )
    assert_told(made, Kind.BUDGET_CHANGE_DECIDED, cast.rapla_people, cast)
    assert {n.note for n in made} == {"Põhjendus puudub."}
    assert BudgetChange.objects.get().status == BudgetChange.Status.REFUSED


def test_an_entry_the_ministry_reverses_tells_the_municipality_and_its_own_reversal_no_one(
    cast, rapla, django_capture_on_commit_callbacks
):
    reviewed, pending = expenditure(rapla, cast.kov_a), expenditure(rapla, cast.kov_a)
    grants.review_expenditure(entry=reviewed, approve=True, reason="", user=cast.ministry)
    with changes(django_capture_on_commit_callbacks) as made:
        grants.reverse_entry(entry=reviewed, reason="Tagastatud.", user=cast.ministry)
    assert_told(made, Kind.ENTRY_REVERSED, cast.rapla_people, cast)
    assert {(n.about, n.note) for n in made} == {(reviewed, "Tagastatud.")}

    with changes(django_capture_on_commit_callbacks) as made:
        grants.reverse_entry(entry=pending, reason="Topelt sisestatud.", user=cast.kov_a)
    assert_told_no_one(made, cast)


# --- Reports ---------------------------------------------------------------------------------


def test_a_rendered_report_tells_only_whoever_asked_for_it(
    cast, rapla, django_capture_on_commit_callbacks
):
    with changes(django_capture_on_commit_callbacks) as made:
        report, _queued = reports.request_report(
            kind=Report.Kind.MUNICIPALITY,
            language="et",
            user=cast.kov_a_2,
            participation=rapla,
            period_start=date(timezone.localdate().year, 1, 1),
            period_end=timezone.localdate(),
        )
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert_told(made, Kind.REPORT_READY, [cast.kov_a_2], cast)
    assert made[0].about == report and made[0].actor is None
    assert made[0].link == reverse("report_detail", args=[report.pk])


def test_the_quarterly_report_tells_no_one_and_a_failed_one_whoever_asked(
    cast, rapla, django_capture_on_commit_callbacks
):
    with changes(django_capture_on_commit_callbacks) as made:
        rendering.quarterly_programme_report(timezone.localdate())
    assert made == []  # nobody asked: the ministry gets it by e-mail from its own task
    failing = Report.objects.create(
        kind=Report.Kind.MUNICIPALITY,
        language="et",
        participation=rapla,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        requested_by=cast.kov_a,
    )
    with changes(django_capture_on_commit_callbacks) as made:
        rendering.fail(failing.pk, Report.Failure.ERROR, "OSError: disk full")
    assert_told(made, Kind.REPORT_FAILED, [cast.kov_a], cast)
    with changes(django_capture_on_commit_callbacks) as made:
        rendering.fail(failing.pk, Report.Failure.ERROR, "OSError: disk full")
    assert made == []  # failed already


# --- Good practice ---------------------------------------------------------------------------


def test_a_practice_goes_to_the_ministry_and_its_decisions_back_to_the_municipality(
    cast, django_capture_on_commit_callbacks
):
    practice = make_practice(cast.kov_a)
    with changes(django_capture_on_commit_callbacks) as made:
        practices.submit_practice(practice=practice, user=cast.kov_a)
    assert_told(made, Kind.PRACTICE_SUBMITTED, cast.ministry_staff, cast)
    with changes(django_capture_on_commit_callbacks) as made:
        practices.return_practice(practice=practice, user=cast.ministry, comment="Lisa tulemused")
    assert_told(made, Kind.PRACTICE_RETURNED, cast.rapla_people, cast)
    assert made[0].note == "Lisa tulemused"
    practices.submit_practice(practice=practice, user=cast.kov_a_2)
    with changes(django_capture_on_commit_callbacks) as made:
        practices.publish_practice(practice=practice, user=cast.ministry)
    assert_told(made, Kind.PRACTICE_PUBLISHED, cast.rapla_people, cast)


# --- E-mail ----------------------------------------------------------------------------------


def test_the_email_goes_after_the_commit_and_only_to_who_wants_it_at_once(
    cast, rapla, django_capture_on_commit_callbacks
):
    Preference.objects.create(
        user=cast.ministry_2, kind=Kind.PLAN_SUBMITTED, delivery=Delivery.DAILY
    )
    plan = complete_plan(rapla)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plans.submit_plan(plan=plan, user=cast.kov_a)
    assert mail.outbox == []  # nothing is sent before the change commits
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[cast.ministry.email]]
    # The daily reader has the notice all the same.
    assert Notification.objects.filter(recipient=cast.ministry_2, emailed_at=None).exists()


# --- Access ----------------------------------------------------------------------------------


def everything_of(participation: Participation, municipal: User, ministry: User) -> None:
    """Every change of one participation that tells someone, the way its people make them."""
    provider = User.objects.filter(service_provider=participation.service_provider).first()
    assert provider is not None
    plan = complete_plan(participation)
    plans.submit_plan(plan=plan, user=municipal)
    plans.return_plan(plan=plan, comment="Täpsustage.", user=ministry)
    plans.submit_plan(plan=plan, user=municipal)
    plans.approve_plan(plan=plan, user=ministry)
    session = log(participation, provider)
    counselling.answer_session(session=fresh(session), confirm=False, comment="Ei.", user=municipal)
    correct(session, provider, "Parandatud.")
    accepted, refused = expenditure(participation, municipal), expenditure(participation, municipal)
    grants.review_expenditure(entry=accepted, approve=True, reason="", user=ministry)
    grants.review_expenditure(entry=refused, approve=False, reason="Ei sobi.", user=ministry)
    grants.reverse_entry(entry=accepted, reason="Tagastatud.", user=ministry)
    staff, training = (participation.budget_lines.get(category=c) for c in ("staff", "training"))
    change = grants.request_budget_change(
        participation=participation,
        deltas=decided_move(participation, staff, training, Decimal("100.00")),
        reason="Vajadus.",
        user=municipal,
    )
    grants.decide_budget_change(change=change, approve=True, reason="", user=ministry)
    reports.request_report(
        kind=Report.Kind.MUNICIPALITY,
        language="et",
        user=municipal,
        participation=participation,
        period_start=date(timezone.localdate().year, 1, 1),
        period_end=timezone.localdate(),
    )


def test_no_one_is_told_about_a_municipality_they_may_not_see(
    cast, rapla, keila, django_capture_on_commit_callbacks
):
    with changes(django_capture_on_commit_callbacks) as made:
        everything_of(rapla, cast.kov_a, cast.ministry)
        everything_of(keila, cast.kov_b, cast.ministry)
    assert made
    for notice in made:
        about = notice.about
        person = notice.recipient
        assert type(about)._default_manager.visible_to(person).filter(pk=about.pk).exists()
        if person.municipality_id is not None:
            assert person.municipality_id == about.participation.municipality_id, notice
        elif person.service_provider_id is not None:
            assert person.service_provider_id == about.participation.service_provider_id, notice
        else:
            assert person in cast.ministry_staff, notice
    recipients = {notice.recipient for notice in made}
    assert recipients.isdisjoint({cast.admin, cast.evaluator, cast.kov_a_gone})
    # Each municipality's people were told of their own plan, sessions, money and reports.
    for person, participation in ((cast.kov_a, rapla), (cast.kov_b, keila)):
        kinds = Counter(n.kind for n in made if n.recipient == person)
        assert kinds == {
            Kind.PLAN_RETURNED: 1,
            Kind.PLAN_APPROVED: 1,
            Kind.SESSION_AWAITING_CONFIRMATION: 2,
            Kind.EXPENDITURE_ACCEPTED: 1,
            Kind.EXPENDITURE_REFUSED: 1,
            Kind.ENTRY_REVERSED: 1,
            Kind.BUDGET_CHANGE_DECIDED: 1,
            Kind.REPORT_READY: 1,
        }, participation

    # Keila's counselling passes to Rapla's provider: a session Keila disputes now is the new
    # provider's to answer, and the one before is told nothing of it any more.
    session = CounsellingSession.objects.get(participation=keila)
    Participation.objects.filter(pk=keila.pk).update(
        service_provider=cast.provider.service_provider
    )
    with changes(django_capture_on_commit_callbacks) as made:
        counselling.answer_session(
            session=fresh(session), confirm=False, comment="Jälle vale.", user=cast.kov_b
        )
    assert_told(made, Kind.SESSION_DISPUTED, cast.rapla_provider, cast)
