"""Who may write trainings, registrations, attendance and sharing events, and when.

- Ministry staff and administrators organise any training, a service provider the trainings of
  its own organisation: they change them and record who attended, from the training's date.
- A municipality taking part in the programme registers its own people until the day before the
  training, while places are left, and withdraws them until then.
- Ministry staff record experience-sharing events and change any; a municipality records those
  it presented at or attended and changes those it recorded.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from learning.models import Organiser, SharingEvent, Training, TrainingParticipant
from programme.models import Participation
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


def _ministry(user: User) -> bool:
    return user.has_programme_wide_access


def _organises(user: User, training: Training) -> bool:
    """Ministry staff organise any training, a provider's people those of their provider."""
    return _ministry(user) or (
        user.service_provider_id is not None
        and training.organiser == Organiser.SERVICE_PROVIDER
        and training.service_provider_id == user.service_provider_id
    )


def _on(training: Training) -> str:
    return date_format(training.starts_on, "SHORT_DATE_FORMAT")


@rule("learning.create_training")
def may_create_training(user: User) -> Verdict:
    if not (_ministry(user) or user.service_provider_id is not None):
        return forbidden(_("Only ministry staff and service providers organise trainings."))
    return ALLOWED


@rule("learning.edit_training")
def may_edit_training(user: User, training: Training) -> Verdict:
    """At any time: a held training's details may still need putting right."""
    if not _organises(user, training):
        return forbidden(_("Only the training's organiser may change it."))
    return ALLOWED


@rule("learning.register_participant")
def may_register_participant(user: User, training: Training) -> Verdict:
    if user.municipality_id is None:
        return forbidden(_("Only municipality users register people for trainings."))
    if not Participation.objects.filter(municipality_id=user.municipality_id).exists():
        return forbidden(
            _("Only municipalities taking part in the programme register people for trainings.")
        )
    if not training.is_open_for_registration(timezone.localdate()):
        return not_now(
            _("Registration closed: the training is on %(date)s.") % {"date": _on(training)}
        )
    if training.places_left == 0:
        return not_now(
            _("The training is full: all %(capacity)s places are taken.")
            % {"capacity": training.capacity}
        )
    return ALLOWED


@rule("learning.withdraw_participant")
def may_withdraw_participant(user: User, participant: TrainingParticipant) -> Verdict:
    if user.municipality_id is None or participant.municipality_id != user.municipality_id:
        return forbidden(_("Only the person's own municipality may withdraw them."))
    training = participant.training
    if not training.is_open_for_registration(timezone.localdate()):
        return not_now(
            _("The training is on %(date)s; the registration can no longer be withdrawn.")
            % {"date": _on(training)}
        )
    return ALLOWED


@rule("learning.record_attendance")
def may_record_attendance(user: User, training: Training) -> Verdict:
    if not _organises(user, training):
        return forbidden(_("Only the training's organiser records the attendance."))
    if not training.is_open_for_attendance(timezone.localdate()):
        return not_now(
            _("Attendance is recorded from the training's date, %(date)s.")
            % {"date": _on(training)}
        )
    return ALLOWED


@rule("learning.record_sharing_event")
def may_record_sharing_event(user: User) -> Verdict:
    if not (_ministry(user) or user.municipality_id is not None):
        return forbidden(
            _("Only ministry staff and municipality users record experience-sharing events.")
        )
    return ALLOWED


@rule("learning.edit_sharing_event")
def may_edit_sharing_event(user: User, event: SharingEvent) -> Verdict:
    if not (
        _ministry(user)
        or (
            user.municipality_id is not None
            and event.recording_municipality_id == user.municipality_id
        )
    ):
        return forbidden(_("Only the municipality that recorded the event may change it."))
    return ALLOWED
