"""The workflows of trainings and experience sharing. Registration locks the training's row
first, so that concurrent registrations are checked one after another against the places."""

from collections.abc import Iterable, Mapping
from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from audit.models import Action
from audit.services import record, record_change
from learning import rules
from learning.models import (
    Organiser,
    SharingEvent,
    SharingMaterial,
    Training,
    TrainingParticipant,
    TrainingSummaryRow,
)
from programme.models import County, Municipality, ServiceProvider
from turvaportaal.lib.rules import require
from turvaportaal.lib.uploads import document_suffix, sha256_of, validate_document


def _locked(training: Training) -> Training:
    return Training.objects.select_for_update().get(pk=training.pk)


def _clean_name(name: str) -> str:
    """The name as stored: surrounding spaces dropped, inner runs of spaces made one."""
    return " ".join(name.split())


@transaction.atomic
def save_training(
    *,
    training: Training | None,
    user: User,
    title: str,
    training_type: str,
    organiser: str,
    service_provider: ServiceProvider | None,
    organiser_name: str,
    starts_on: date,
    place: str,
    is_online: bool,
    capacity: int,
    description: str,
) -> Training:
    """Create a training (training=None) or change one. Ministry staff organise any; a provider
    user only trainings of its own provider, whatever organiser was sent."""
    if training is None:
        require(rules.may_create_training(user))
        locked = Training(created_by=user)
    else:
        locked = _locked(training)
        require(rules.may_edit_training(user, locked))
        registered = locked.participants.count()
        if capacity < registered:
            raise ValidationError(
                _("%(count)s people are already registered; the places cannot be fewer.")
                % {"count": registered}
            )
    if not user.has_programme_wide_access:
        organiser = Organiser.SERVICE_PROVIDER
        service_provider = user.service_provider
    # Only the field that belongs to the chosen organiser is kept.
    locked.organiser = organiser
    locked.service_provider = service_provider if organiser == Organiser.SERVICE_PROVIDER else None
    locked.organiser_name = organiser_name.strip() if organiser == Organiser.OTHER else ""
    locked.title = title.strip()
    locked.training_type = training_type
    locked.starts_on = starts_on
    locked.place = place.strip()
    locked.is_online = is_online
    locked.capacity = capacity
    locked.description = description
    locked.full_clean(exclude=["created_by"])
    locked.save()
    return locked


@transaction.atomic
def register_participant(
    *, training: Training, user: User, name: str, kind: str, role: str
) -> TrainingParticipant:
    """Register a person of the user's own municipality: only a municipality in the programme,
    before the training's date, while places are left, and each person once."""
    locked = _locked(training)
    # The places are counted on the locked row: one registration after another.
    require(rules.may_register_participant(user, locked))
    municipality_id = user.municipality_id
    assert municipality_id is not None  # the rule refuses anyone of no municipality
    name = _clean_name(name)
    if not name:
        raise ValidationError(_("Give the person's name."))
    if kind not in TrainingParticipant.Kind.values:
        raise ValidationError(_("Choose whether the person is an official or a network member."))
    if not role.strip():
        raise ValidationError(_("Give the person's role."))
    registered = locked.participants.filter(municipality_id=municipality_id).values_list(
        "name", flat=True
    )
    # Compared in Python: the database's lower() may leave non-ASCII letters (Õ, Ä) as they are.
    for existing in registered:
        if existing.casefold() == name.casefold():
            raise ValidationError(
                _("%(name)s is already registered for this training.") % {"name": existing}
            )
    try:
        with transaction.atomic():
            participant = TrainingParticipant.objects.create(
                training=locked,
                municipality_id=municipality_id,
                name=name,
                kind=kind,
                role=role.strip(),
                registered_by=user,
            )
            record_change(
                user,
                participant,
                gettext_noop("registered for a training"),
                after={"training": locked.pk, "name": name, "kind": kind, "role": role.strip()},
            )
            return participant
    except IntegrityError as error:
        raise ValidationError(
            _("%(name)s is already registered for this training.") % {"name": name}
        ) from error


@transaction.atomic
def withdraw_participant(*, participant: TrainingParticipant, user: User) -> None:
    """Take back a registration of the user's own municipality, before the training."""
    locked = _locked(participant.training)
    participant.training = locked
    require(rules.may_withdraw_participant(user, participant))
    record_change(
        user,
        participant,
        gettext_noop("training registration withdrawn"),
        before={"training": locked.pk, "name": participant.name},
    )
    TrainingParticipant.objects.filter(pk=participant.pk).delete()


@transaction.atomic
def record_attendance(
    *, training: Training, user: User, attendance: Mapping[int, bool | None]
) -> int:
    """Record who attended (True), did not (False) or is not recorded yet (None), by the
    participant's id: by the training's organiser, from the training's date on. Returns how
    many rows changed."""
    locked = _locked(training)
    require(rules.may_record_attendance(user, locked))
    participants = {p.pk: p for p in locked.participants.select_related("municipality")}
    if set(attendance) - set(participants):
        raise ValidationError(_("Someone in the list is not registered for this training."))
    now = timezone.now()
    changed = []
    for pk, attended in attendance.items():
        participant = participants[pk]
        if participant.attended is not attended:
            record_change(
                user,
                participant,
                gettext_noop("training attendance recorded"),
                before={"attended": participant.attended},
                after={"attended": attended},
            )
            participant.attended = attended
            participant.recorded_by = user
            participant.recorded_at = now
            changed.append(participant)
    TrainingParticipant.objects.bulk_update(changed, ["attended", "recorded_by", "recorded_at"])
    return len(changed)


def training_summary(municipality: Municipality) -> list[TrainingSummaryRow]:
    """For one municipality, per training type: how many people attended (each person once)
    and how many trainings they attended. One query; every type has a row."""
    return (
        TrainingParticipant.objects.attended().filter(municipality=municipality).summary_by_type()
    )


def _store_material(event: SharingEvent, uploaded: UploadedFile, user: User) -> SharingMaterial:
    material = SharingMaterial(
        event=event,
        original_name=(uploaded.name or "material")[-255:],
        size=uploaded.size or 0,
        sha256=sha256_of(uploaded),
        uploaded_by=user,
    )
    material.file.save(f"material{document_suffix(uploaded)}", uploaded, save=False)
    material.save()
    record(
        user,
        Action.UPLOAD,
        obj=material,
        detail=material.original_name,
        after={"event": event.pk, "size": material.size, "sha256": material.sha256},
    )
    return material


@transaction.atomic
def save_sharing_event(
    *,
    event: SharingEvent | None,
    user: User,
    title: str,
    held_on: date,
    level: str,
    county: County | None,
    host: str,
    presenters: Iterable[Municipality],
    attendees: Iterable[Municipality],
    notes: str,
    materials: Iterable[UploadedFile] = (),
    remove_materials: Iterable[SharingMaterial] = (),
) -> SharingEvent:
    """Record an experience-sharing event (event=None) or change one, with its materials.

    Ministry staff record and change any; a municipality user only events its municipality
    presented at or attended, and changes those it recorded. A municipality in both lists is
    kept as a presenter only (it was there, and presenting says more). Every file is checked by
    content before anything is saved."""
    presenter_set = set(presenters)
    attendee_set = set(attendees) - presenter_set
    require(rules.may_record_sharing_event(user))
    if event is None:
        locked = SharingEvent(recorded_by=user, recording_municipality=user.municipality)
    else:
        locked = SharingEvent.objects.select_for_update().get(pk=event.pk)
        require(rules.may_edit_sharing_event(user, locked))
    if user.municipality_id is not None and user.municipality_id not in {
        m.pk for m in presenter_set | attendee_set
    }:
        raise ValidationError(
            _("Your municipality must be among those that presented or attended.")
        )
    files = list(materials)
    for uploaded in files:
        try:
            validate_document(uploaded)
        except ValidationError as error:
            raise ValidationError(
                _("%(file)s: %(reason)s") % {"file": uploaded.name, "reason": error.messages[0]}
            ) from error
    locked.title = title.strip()
    locked.held_on = held_on
    locked.level = level
    locked.county = county
    locked.host = host.strip()
    locked.notes = notes
    locked.full_clean(exclude=["recorded_by", "recording_municipality"])
    locked.save()
    locked.presenters.set(presenter_set)
    locked.attendees.set(attendee_set)
    removed = list(locked.materials.filter(pk__in=[m.pk for m in remove_materials]))
    for material in removed:
        record_change(
            user,
            material,
            gettext_noop("material removed"),
            before={"event": locked.pk, "sha256": material.sha256},
        )
        material.delete()
        # The file goes only once the row is gone for good.
        transaction.on_commit(partial(material.file.delete, save=False))
    for uploaded in files:
        _store_material(locked, uploaded, user)
    return locked
