"""Counselling workflows: the provider logs and corrects sessions, the municipality confirms or
disputes them, both keep the next steps up to date."""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from audit.services import record_change
from counselling import rules
from counselling.models import Attendee, CounsellingSession, NextStep, Topic
from notifications.models import Kind
from notifications.services import municipality_people, notify, provider_people
from programme.models import Participation
from turvaportaal.lib.rules import require


@dataclass(frozen=True)
class SessionDetails:
    """What the provider tells about one session."""

    held_on: date
    duration_hours: Decimal
    format: str
    topics: list[str]
    summary: str
    attendee_count: int | None = None


@dataclass(frozen=True)
class PlannedStep:
    description: str
    owner: str
    due_on: date


def _check_details(
    details: SessionDetails, participation: Participation, attendees: list[tuple[str, str]]
) -> None:
    errors = []
    if details.held_on > timezone.localdate():
        errors.append(_("A session cannot be logged before it is held: the date is in the future."))
    if details.held_on < participation.start_on:
        errors.append(
            _("The date is before the municipality's participation began (%(start)s).")
            % {"start": participation.start_on.strftime("%d.%m.%Y")}
        )
    if not details.topics:
        errors.append(_("Choose at least one topic."))
    if any(topic not in Topic.values for topic in details.topics):
        errors.append(_("Choose topics from the list."))
    if not attendees and not details.attendee_count:
        errors.append(_("List the attendees by name and role, or give their number."))
    if errors:
        raise ValidationError(errors)


def log_session(
    *,
    participation: Participation,
    details: SessionDetails,
    attendees: list[tuple[str, str]],
    next_steps: list[PlannedStep],
    user: User,
) -> CounsellingSession:
    """Log a session held with an assigned municipality; it awaits the municipality's word."""
    require(rules.may_log_session(user, participation))
    provider = user.service_provider
    assert provider is not None  # the rule refuses anyone of no provider
    _check_details(details, participation, attendees)
    session = CounsellingSession(
        participation=participation, service_provider=provider, logged_by=user, **asdict(details)
    )
    session.full_clean()
    with transaction.atomic():
        session.save()
        _add_people_and_steps(session, attendees, next_steps)
        _ask_for_confirmation(session, user)
    return session


def correct_session(
    *,
    session: CounsellingSession,
    details: SessionDetails,
    attendees: list[tuple[str, str]],
    added_steps: list[PlannedStep],
    user: User,
) -> CounsellingSession:
    """The provider corrects a session until it is confirmed; a disputed one then awaits the
    municipality's word again. Next steps already agreed stay: their status is both sides'."""
    require(rules.may_correct_session(user, session))
    was_disputed = session.confirmation == CounsellingSession.Confirmation.DISPUTED
    _check_details(details, session.participation, attendees)
    for field, value in asdict(details).items():
        setattr(session, field, value)
    session.confirmation = CounsellingSession.Confirmation.AWAITING
    session.full_clean()
    with transaction.atomic():
        session.save()
        session.attendees.all().delete()
        _add_people_and_steps(session, attendees, added_steps)
        # A correction of a session still awaiting their word asks nothing new of the
        # municipality: they were told when it was logged.
        if was_disputed:
            _ask_for_confirmation(session, user)
    return session


def _ask_for_confirmation(session: CounsellingSession, user: User) -> None:
    notify(
        Kind.SESSION_AWAITING_CONFIRMATION,
        recipients=municipality_people(session.participation.municipality),
        about=session,
        link=reverse("session_detail", args=[session.pk]),
        actor=user,
    )


def _add_people_and_steps(
    session: CounsellingSession, attendees: list[tuple[str, str]], next_steps: list[PlannedStep]
) -> None:
    Attendee.objects.bulk_create(
        Attendee(session=session, name=name, role=role) for name, role in attendees
    )
    NextStep.objects.bulk_create(
        NextStep(session=session, description=s.description, owner=s.owner, due_on=s.due_on)
        for s in next_steps
    )


@transaction.atomic
def answer_session(
    *, session: CounsellingSession, confirm: bool, comment: str, user: User
) -> CounsellingSession:
    """The municipality confirms the session, or disputes it saying what is wrong."""
    require(rules.may_answer_session(user, session))
    comment = comment.strip()
    if not confirm and not comment:
        raise ValidationError(_("Say what is wrong with the session when you dispute it."))
    before = session.confirmation
    session.confirmation = (
        CounsellingSession.Confirmation.CONFIRMED
        if confirm
        else CounsellingSession.Confirmation.DISPUTED
    )
    session.dispute_comment = "" if confirm else comment
    session.answered_by = user
    session.answered_at = timezone.now()
    session.save(
        update_fields=[
            "confirmation",
            "dispute_comment",
            "answered_by",
            "answered_at",
            "updated_at",
        ]
    )
    record_change(
        user,
        session,
        gettext_noop("session confirmed") if confirm else gettext_noop("session disputed"),
        before={"confirmation": before},
        after={"confirmation": session.confirmation}
        | ({"comment": session.dispute_comment} if not confirm else {}),
    )
    if not confirm:
        # The provider corrects the session or talks it over with the municipality.
        notify(
            Kind.SESSION_DISPUTED,
            recipients=provider_people(session.participation),
            about=session,
            link=reverse("session_detail", args=[session.pk]),
            actor=user,
            note=comment,
        )
    return session


def update_step_status(*, step: NextStep, status: str, user: User) -> NextStep:
    """The provider and the municipality both move a next step along."""
    require(rules.may_update_step_status(user, step))
    if status not in NextStep.Status.values:
        raise ValidationError(_("Choose a status from the list."))
    step.status = status
    step.status_changed_by = user
    step.status_changed_at = timezone.now()
    step.save(update_fields=["status", "status_changed_by", "status_changed_at"])
    return step
