"""Personas and wiring shared by the whole suite."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.models import Role, User
from actionplans.models import Indicator
from actionplans.reference import load_indicators
from programme.models import County, Municipality, PartnerAgency
from programme.reference import load_estonia, load_partner_agencies
from tests.factories import UserFactory
from turvaportaal.celery import app as celery_app

RAPLA_VALD = "0668"  # Rapla maakond
KEILA_LINN = "0296"  # Harju maakond


@pytest.fixture(autouse=True)
def _tasks_run_in_process(settings):  # noqa: PT004
    """Tasks run where they are queued; tests of the worker itself start a real one."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture(autouse=True)
def _estonia_after_flush(request: pytest.FixtureRequest) -> None:
    """Transactional tests empty every table when they end; give the next one Estonia (and
    the indicator catalogue) back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        load_estonia(County, Municipality)
        load_partner_agencies(PartnerAgency)
        load_indicators(Indicator)


@pytest.fixture
def admin(db) -> User:
    return UserFactory(role=Role.ADMIN, email="admin@sim.example", full_name="Ada Admin")


@pytest.fixture
def ministry(db) -> User:
    return UserFactory(role=Role.MINISTRY, email="mari@sim.example", full_name="Mari Ministeerium")


@pytest.fixture
def provider(db) -> User:
    return UserFactory(role=Role.PROVIDER, email="nora@provider.example", full_name="Nora Nõustaja")


@pytest.fixture
def kov_a(db) -> User:
    """A municipality user of Rapla vald."""
    return UserFactory(
        role=Role.MUNICIPALITY,
        municipality_code=RAPLA_VALD,
        email="tiina@rapla.example",
        full_name="Tiina Rapla",
    )


@pytest.fixture
def kov_b(db) -> User:
    """A municipality user of Keila linn."""
    return UserFactory(
        role=Role.MUNICIPALITY,
        municipality_code=KEILA_LINN,
        email="kalle@keila.example",
        full_name="Kalle Keila",
    )


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def in_english():
    """Messages made outside a request come in English (the portal's default is Estonian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_for():
    """A test client signed in as the given user."""

    def make(user: User, language: str = "et") -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.force_login(user)
        return client

    return make
