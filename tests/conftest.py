"""Personas and wiring shared by the whole suite."""

from typing import Any

import pytest
import zeal
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation
from zeal.constants import initialize_app_registry
from zeal.patch import patch as zeal_patch

from accounts.models import Role, User
from accounts.testing import force_login
from actionplans.models import Indicator
from actionplans.reference import load_indicators
from programme.models import County, Municipality, PartnerAgency
from programme.reference import load_estonia, load_partner_agencies
from tests.audit.flush import empty_audit_log
from tests.factories import UserFactory
from turvaportaal.celery import app as celery_app

RAPLA_VALD = "0668"  # Rapla maakond
KEILA_LINN = "0296"  # Harju maakond


def pytest_configure(config: pytest.Config) -> None:
    """Every request in the suite raises on an N+1 query (django-zeal).

    zeal is a development package, so the settings module does not name it; the suite does what
    its app's ready() would (patch the ORM once) and wraps every request in its middleware,
    outermost so that context processors and other middleware are watched as well.
    """
    initialize_app_registry()
    zeal_patch()
    override_settings(
        MIDDLEWARE=["zeal.middleware.zeal_middleware", *settings.MIDDLEWARE],
        ZEAL_RAISE=True,
        # zeal names the first caller outside site-packages, so two different get()s inside
        # Django count as one repeated: the session loaded and then deleted on sign-out, the
        # signed-in user and the user a password-reset link names.
        ZEAL_ALLOWLIST=[
            {"model": "sessions.Session", "field": "get()"},
            {"model": "accounts.User", "field": "get()"},
        ],
    ).enable()
    # Tasks run in the request that queues them (task_always_eager): each run, a retry too, is
    # watched on its own, as a worker would run it (zeal's documented Celery wiring).
    task_prerun.connect(_watch_task, weak=False)
    task_postrun.connect(_end_watching_task, weak=False)


_watched_tasks: list[Any] = []


def _watch_task(**kwargs: Any) -> None:
    _watched_tasks.append(zeal.setup())


def _end_watching_task(**kwargs: Any) -> None:
    zeal.teardown(_watched_tasks.pop())


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
        # Torn down before the flush: SQLite's flush would DELETE the append-only audit log.
        request.addfinalizer(empty_audit_log)


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
    """A test client signed in as the given user (ministry staff and admins with the second
    factor entered)."""

    def make(user: User, language: str = "et") -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return force_login(client, user)

    return make
