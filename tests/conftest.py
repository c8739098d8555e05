"""Personas and wiring shared by the whole suite."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import zeal
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_migrate
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
from tests.audit.flush import flush_through_the_guards
from tests.factories import UserFactory
from turvaportaal.celery import app as celery_app

RAPLA_VALD = "0668"  # Rapla maakond
KEILA_LINN = "0296"  # Harju maakond

# pytest-xdist's worker: gw0, gw1, ... Each has its own test database (pytest-django) and its
# own Redis databases (below); without xdist the suite runs as worker 0.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
MAX_WORKERS = 6  # `make test` caps -n auto at this: Redis has 16 databases


def redis_url(database: int) -> str:
    """REDIS_URL with another database number."""
    return f"{os.environ['REDIS_URL'].rsplit('/', 1)[0]}/{database}"


def pytest_configure(config: pytest.Config) -> None:
    override_settings(
        # One person costs PBKDF2's full work factor, most of a second, and the suite makes
        # thousands. tests/accounts/test_passwords.py checks production's hasher.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        **_redis_of_this_worker(),
        **_n_plus_one_raises(),
    ).enable()


def _redis_of_this_worker() -> dict[str, Any]:
    """Each worker's cache and queue in a Redis database of its own: 1, 2, ... (tests of a real
    Celery worker take 15, 14, ...)."""
    if not os.environ.get("REDIS_URL"):
        return {}
    if WORKER >= MAX_WORKERS:
        raise pytest.UsageError(f"at most {MAX_WORKERS} workers: Redis has 16 databases")
    os.environ["REDIS_URL"] = redis_url(1 + WORKER)
    celery_app.conf.broker_url = os.environ["REDIS_URL"]
    cache = settings.CACHES["default"] | {"LOCATION": os.environ["REDIS_URL"]}
    return {"CACHES": {"default": cache}, "CELERY_BROKER_URL": os.environ["REDIS_URL"]}


def _n_plus_one_raises() -> dict[str, Any]:
    """Every request in the suite raises on an N+1 query (django-zeal).

    zeal is a development package, so the settings module does not name it; the suite does what
    its app's ready() would (patch the ORM once) and wraps every request in its middleware,
    outermost so that context processors and other middleware are watched as well.
    """
    initialize_app_registry()
    zeal_patch()
    # Tasks run in the request that queues them (task_always_eager): each run, a retry too, is
    # watched on its own, as a worker would run it (zeal's documented Celery wiring).
    task_prerun.connect(_watch_task, weak=False)
    task_postrun.connect(_end_watching_task, weak=False)
    return {
        "MIDDLEWARE": ["zeal.middleware.zeal_middleware", *settings.MIDDLEWARE],
        "ZEAL_RAISE": True,
        # zeal names the first caller outside site-packages, so two different get()s inside
        # Django count as one repeated: the session loaded and then deleted on sign-out, the
        # signed-in user and the user a password-reset link names.
        "ZEAL_ALLOWLIST": [
            {"model": "sessions.Session", "field": "get()"},
            {"model": "accounts.User", "field": "get()"},
        ],
    }


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


def _reference_data_back(sender: Any, **kwargs: Any) -> None:
    """The flush that ends a transactional test empties every table, then sends post_migrate
    once an app: on the programme's, Estonia (and the partner agencies and the indicator
    catalogue) come back, so that whatever test the worker runs next finds them."""
    if sender.name == "programme":
        load_estonia(County, Municipality)
        load_partner_agencies(PartnerAgency)
        load_indicators(Indicator)


@pytest.fixture(scope="session", autouse=True)
def _flush_through_the_append_only_guards() -> Iterator[None]:
    """The flush that ends a transactional test empties the ledger, the reviews and the audit
    log too, which the database refuses anyone else."""
    with flush_through_the_guards():
        yield


@pytest.fixture(scope="session", autouse=True)
def _reference_data_after_each_flush() -> Iterator[None]:
    post_migrate.connect(_reference_data_back, dispatch_uid="reference-data-back")
    yield
    post_migrate.disconnect(dispatch_uid="reference-data-back")


# The personas: who each is, by the fixture's name.
PERSONA_DETAILS: dict[str, dict[str, Any]] = {
    "admin": {"role": Role.ADMIN, "email": "admin@sim.example", "full_name": "Ada Admin"},
    "ministry": {
        "role": Role.MINISTRY,
        "email": "mari@sim.example",
        "full_name": "Mari Ministeerium",
    },
    "provider": {
        "role": Role.PROVIDER,
        "email": "nora@provider.example",
        "full_name": "Nora Nõustaja",
    },
    # A municipality user of Rapla vald.
    "kov_a": {
        "role": Role.MUNICIPALITY,
        "municipality_code": RAPLA_VALD,
        "email": "tiina@rapla.example",
        "full_name": "Tiina Rapla",
    },
    # A municipality user of Keila linn.
    "kov_b": {
        "role": Role.MUNICIPALITY,
        "municipality_code": KEILA_LINN,
        "email": "kalle@keila.example",
        "full_name": "Kalle Keila",
    },
}


def make_persona(name: str) -> User:
    return UserFactory(**PERSONA_DETAILS[name])


@pytest.fixture
def admin(db) -> User:
    return make_persona("admin")


@pytest.fixture
def ministry(db) -> User:
    return make_persona("ministry")


@pytest.fixture
def provider(db) -> User:
    return make_persona("provider")


@pytest.fixture
def kov_a(db) -> User:
    return make_persona("kov_a")


@pytest.fixture
def kov_b(db) -> User:
    return make_persona("kov_b")


@contextmanager
def rows_of_the_module(django_db_blocker: Any, media: Path) -> Iterator[None]:
    """For a module-scoped fixture whose rows its tests only read, or change and roll back: they
    are made once, in a transaction that each test's own (pytest-django's) nests in, and rolled
    back after the module's last test. Their files go to ``media``."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _sign_in_counters_start_at_zero() -> None:  # noqa: PT004
    """The password-reset limits and sign-in delays count in the cache: one test's attempts
    never limit another's."""
    import contextlib

    from django.core.cache import cache

    # The tests of Redis being down stop it on purpose.
    with contextlib.suppress(Exception):
        cache.clear()


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


@pytest.fixture(scope="session")
def tara_providers() -> Iterator[Any]:
    """OpenID Connect providers set up as TARA (tests/oidc/), started on first use, one per
    redirect URI of the portal, and stopped when the tests end."""
    from tests.oidc.server import Providers

    providers = Providers()
    yield providers
    providers.stop_all()
