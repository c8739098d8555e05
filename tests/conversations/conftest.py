import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role
from conversations import services
from tests.conftest import make_persona
from tests.counselling.conftest import make_participation
from tests.factories import UserFactory, pdf_bytes


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def pdf(name: str = "kokkuvote.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def png(name: str = "skeem.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), "image/png")


@pytest.fixture
def people(db):
    """Everyone who stands somewhere to municipality A's (Rapla vald's) thread."""
    kov_a = make_persona("kov_a")
    provider = make_persona("provider")
    return {
        "kov_a": kov_a,
        "colleague": UserFactory(role=Role.MUNICIPALITY, email="mart@rapla.example"),
        "kov_b": make_persona("kov_b"),
        "provider": provider,
        "provider_colleague": UserFactory(
            role=Role.PROVIDER,
            service_provider=provider.service_provider,
            email="peeter@provider.example",
        ),
        "other_provider": UserFactory(role=Role.PROVIDER, email="olev@teine.example"),
        "ministry": make_persona("ministry"),
        "ministry_colleague": UserFactory(role=Role.MINISTRY, email="jaan@sim.example"),
        "admin": make_persona("admin"),
        "county_evaluator": UserFactory(
            role=Role.COUNTY_EVALUATOR, county=kov_a.municipality.county, email="mtn@rapla.example"
        ),
    }


@pytest.fixture
def participation(people):
    """A's participation, counselled by the provider persona's organisation; B takes part too,
    counselled by the other provider."""
    make_participation(people["kov_b"], people["other_provider"].service_provider)
    return make_participation(people["kov_a"], people["provider"].service_provider)


def post(participation, user, body="Tere!", attachments=()):
    return services.post_message(
        participation=participation, user=user, body=body, attachments=list(attachments)
    )
