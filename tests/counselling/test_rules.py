"""The counselling rules, through the workflows that apply them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from counselling import services
from counselling.models import CounsellingSession, NextStep
from tests.counselling.conftest import details, log, make_participation, step
from tests.factories import UserFactory
from turvaportaal.lib.rules import Forbidden

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def test_a_provider_logs_a_session_with_its_attendees_and_next_steps(participation, provider):
    session = log(participation, provider, steps=[step(), step("Kutsuda kokku võrgustik")])
    assert session.service_provider == provider.service_provider
    assert session.confirmation == CounsellingSession.Confirmation.AWAITING
    assert [a.name for a in session.attendees.all()] == ["Tiina Rapla"]
    assert session.next_steps.count() == 2
    assert set(session.next_steps.values_list("status", flat=True)) == {NextStep.Status.OPEN}


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "more than zero"),
        ("-1", "more than zero"),
        ("0.3", "quarter hours"),
        ("12.25", "at most 12"),
    ],
)
def test_a_duration_must_be_positive_quarter_hours(participation, provider, hours, message):
    with pytest.raises(ValidationError, match=message):
        log(participation, provider, duration_hours=Decimal(hours))
    assert not CounsellingSession.objects.exists()


def test_quarter_hours_are_accepted(participation, provider):
    assert log(participation, provider, duration_hours=Decimal("0.25")).duration_hours == Decimal(
        "0.25"
    )


def test_a_session_cannot_be_logged_before_it_is_held(participation, provider):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="the date is in the future"):
        log(participation, provider, held_on=tomorrow)


def test_a_session_before_the_participation_began_is_refused(participation, provider):
    with pytest.raises(ValidationError, match="before the municipality's participation began"):
        log(participation, provider, held_on=participation.start_on - timedelta(days=1))


def test_a_session_needs_topics_and_attendees(participation, provider):
    with pytest.raises(ValidationError) as refused:
        services.log_session(
            participation=participation,
            details=details(topics=[]),
            attendees=[],
            next_steps=[],
            user=provider,
        )
    assert refused.value.messages == [
        "Choose at least one topic.",
        "List the attendees by name and role, or give their number.",
    ]


def test_a_count_is_enough_instead_of_names(participation, provider):
    session = services.log_session(
        participation=participation,
        details=details(attendee_count=6),
        attendees=[],
        next_steps=[],
        user=provider,
    )
    assert session.attendee_count == 6


def test_a_provider_cannot_log_for_an_unassigned_municipality(unassigned, provider):
    with pytest.raises(Forbidden, match="Keila linn is not assigned to your organisation"):
        log(unassigned, provider)


def test_another_provider_cannot_log_for_someone_elses_municipality(participation):
    other = UserFactory(role="provider")
    with pytest.raises(Forbidden, match="not assigned to your organisation"):
        log(participation, other)


def test_only_providers_log_sessions(participation, kov_a, ministry):
    for user in (kov_a, ministry):
        with pytest.raises(Forbidden, match="Only a service provider"):
            log(participation, user)


class TestConfirmation:
    def test_the_municipality_confirms(self, participation, provider, kov_a):
        session = log(participation, provider)
        services.answer_session(session=session, confirm=True, comment="", user=kov_a)
        session.refresh_from_db()
        assert session.confirmation == CounsellingSession.Confirmation.CONFIRMED
        assert session.answered_by == kov_a

    def test_a_dispute_needs_a_comment(self, participation, provider, kov_a):
        session = log(participation, provider)
        with pytest.raises(ValidationError, match="Say what is wrong"):
            services.answer_session(session=session, confirm=False, comment="  ", user=kov_a)
        services.answer_session(
            session=session, confirm=False, comment="Kestis 1 tund.", user=kov_a
        )
        assert session.confirmation == CounsellingSession.Confirmation.DISPUTED

    def test_only_the_counselled_municipality_answers(self, participation, provider, kov_b):
        session = log(participation, provider)
        with pytest.raises(Forbidden, match="Only the municipality counselled"):
            services.answer_session(session=session, confirm=True, comment="", user=kov_b)

    def test_a_correction_answers_a_dispute_and_a_confirmed_session_is_final(
        self, participation, provider, kov_a
    ):
        session = log(participation, provider, steps=[step()])
        services.answer_session(
            session=session, confirm=False, comment="Kestis 1 tund.", user=kov_a
        )
        services.correct_session(
            session=session,
            details=details(duration_hours=Decimal("1")),
            attendees=[("Tiina Rapla", "arendusjuht")],
            added_steps=[step("Uus samm")],
            user=provider,
        )
        assert session.confirmation == CounsellingSession.Confirmation.AWAITING
        assert session.next_steps.count() == 2  # agreed steps stay, the new one is added
        services.answer_session(session=session, confirm=True, comment="", user=kov_a)
        with pytest.raises(ValidationError, match="can no longer change"):
            services.correct_session(
                session=session,
                details=details(),
                attendees=[("Tiina Rapla", "arendusjuht")],
                added_steps=[],
                user=provider,
            )


class TestNextSteps:
    def test_both_sides_update_a_step_and_others_cannot(
        self, participation, provider, kov_a, kov_b, ministry
    ):
        session = log(participation, provider, steps=[step()])
        next_step = session.next_steps.get()
        services.update_step_status(step=next_step, status="in_progress", user=kov_a)
        services.update_step_status(step=next_step, status="done", user=provider)
        assert NextStep.objects.get().status == NextStep.Status.DONE
        for outsider in (kov_b, ministry):
            with pytest.raises(Forbidden, match="Only the municipality and its provider"):
                services.update_step_status(step=next_step, status="open", user=outsider)

    def test_overdue_means_unfinished_and_past_due(self, participation, provider):
        today = timezone.localdate()
        session = log(
            participation,
            provider,
            steps=[
                step("late", today - timedelta(days=1)),
                step("due today", today),
                step("late but done", today - timedelta(days=5)),
            ],
        )
        session.next_steps.filter(description="late but done").update(status="done")
        assert [s.description for s in NextStep.objects.overdue(today)] == ["late"]


def test_hours_add_up_per_municipality_provider_and_month(participation, provider, kov_b):
    keila = make_participation(kov_b, provider.service_provider)
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    log(participation, provider, held_on=first_of_month, duration_hours=Decimal("1.25"))
    log(participation, provider, held_on=first_of_month, duration_hours=Decimal("0.5"))
    log(keila, provider, held_on=first_of_month - timedelta(days=1), duration_hours=Decimal("2"))
    sessions = CounsellingSession.objects.all()
    by_municipality = {
        row["participation__municipality__name"]: (row["sessions"], Decimal(row["hours"]))
        for row in sessions.hours_by("participation__municipality__name")
    }
    assert by_municipality == {"Rapla vald": (2, Decimal("1.75")), "Keila linn": (1, Decimal("2"))}
    assert [Decimal(r["hours"]) for r in sessions.hours_by("service_provider")] == [Decimal("3.75")]
    months = [(r["month"], Decimal(r["hours"])) for r in sessions.hours_by_month()]
    previous = (first_of_month - timedelta(days=1)).replace(day=1)
    assert months == [(previous, Decimal("2")), (first_of_month, Decimal("1.75"))]
