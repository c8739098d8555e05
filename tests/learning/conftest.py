"""Participations, trainings, participants and sharing events for the learning tests."""

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from learning.models import Organiser, SharingEvent, Training, TrainingParticipant, TrainingType
from programme.models import Cohort, Municipality, Participation, ServiceProvider
from tests.factories import pdf_bytes


def today() -> date:
    return timezone.localdate()


def participate(
    municipality: Municipality, service_provider: ServiceProvider | None = None
) -> Participation:
    """Take the municipality into the programme, assigned to the provider if one is given."""
    cohort, _ = Cohort.objects.get_or_create(stage=2, start_year=today().year)
    return Participation.objects.create(
        municipality=municipality,
        cohort=cohort,
        start_on=today() - timedelta(days=100),
        end_on=today() + timedelta(days=600),
        source=Participation.Source.SELECTION,
        service_provider=service_provider,
    )


@pytest.fixture
def participation_a(kov_a: User, provider: User) -> Participation:
    """Rapla vald takes part, counselled by the provider persona's organisation."""
    return participate(kov_a.municipality, provider.service_provider)  # type: ignore[arg-type]


@pytest.fixture
def participation_b(kov_b: User) -> Participation:
    """Keila linn takes part, with no provider assigned."""
    return participate(kov_b.municipality)  # type: ignore[arg-type]


def make_training(**fields: Any) -> Training:
    values: dict[str, Any] = {
        "title": "Ennetuse alused",
        "training_type": TrainingType.PREVENTION,
        "organiser": Organiser.PPA,
        "starts_on": today() + timedelta(days=14),
        "place": "Rapla, Viljandi mnt 4",
        "capacity": 10,
    } | fields
    return Training.objects.create(**values)


@pytest.fixture
def training(db: None) -> Training:
    """A PPA prevention training in two weeks, ten places."""
    return make_training()


@pytest.fixture
def held_training(db: None) -> Training:
    """A training held yesterday."""
    return make_training(
        title="STAD koolitus",
        training_type=TrainingType.STAD,
        starts_on=today() - timedelta(days=1),
    )


@pytest.fixture
def provider_training(provider: User) -> Training:
    """A training the provider persona's organisation organises, held today."""
    return make_training(
        title="Juhtumikorralduse mudel",
        training_type=TrainingType.CASE_MANAGEMENT,
        organiser=Organiser.SERVICE_PROVIDER,
        service_provider=provider.service_provider,
        starts_on=today(),
    )


def add_participant(
    training: Training,
    municipality: Municipality,
    name: str,
    *,
    attended: bool | None = None,
    kind: str = TrainingParticipant.Kind.OFFICIAL,
) -> TrainingParticipant:
    """Straight to the table: also for trainings already held."""
    return TrainingParticipant.objects.create(
        training=training,
        municipality=municipality,
        name=name,
        kind=kind,
        role="lastekaitsespetsialist",
        attended=attended,
    )


def make_event(
    *,
    presenters: list[Municipality] | None = None,
    attendees: list[Municipality] | None = None,
    **fields: Any,
) -> SharingEvent:
    values: dict[str, Any] = {
        "title": "Maakondlik kogemuspäev",
        "held_on": today() - timedelta(days=7),
        "level": SharingEvent.Level.NATIONAL,
        "host": "Siseministeerium",
    } | fields
    event = SharingEvent.objects.create(**values)
    event.presenters.set(presenters or [])
    event.attendees.set(attendees or [])
    return event


def rapla() -> Municipality:
    return Municipality.objects.get(ehak_code="0668")


def keila() -> Municipality:
    return Municipality.objects.get(ehak_code="0296")


def png_file(name: str = "slaidid.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def pdf_file(name: str = "ettekanne.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def fake_pdf(name: str = "ettekanne.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<html>not a pdf</html>", "application/pdf")
