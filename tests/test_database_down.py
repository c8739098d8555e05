"""With the database unreachable the portal answers 503 with a plain page and no traceback.

The connection really fails: the default connection is replaced by one to where no database
listens (PostgreSQL: a closed port; SQLite: a file in a folder that does not exist). The test
database's own connection is put back untouched afterwards.
"""

import copy
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.test import Client
from django.urls import reverse

from turvaportaal.views import server_error

pytestmark = pytest.mark.django_db

CLOSED_PORT = 1  # reserved (tcpmux); nothing listens on it here


@contextmanager
def database_down(folder: Path) -> Iterator[None]:
    working = connections[DEFAULT_DB_ALIAS]
    unreachable = copy.deepcopy(working.settings_dict)
    if working.vendor == "sqlite":
        unreachable["NAME"] = str(folder / "no-such-folder" / "portal.sqlite3")
    else:
        unreachable |= {"HOST": "127.0.0.1", "PORT": CLOSED_PORT}
    broken = type(working)(unreachable, DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = broken
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS] = working
        broken.close()


def browser(language: str | None = None) -> Client:
    # The test client re-raises a view's exception by default; a browser gets the page.
    client = Client(raise_request_exception=False)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def assert_plain_503(response, language: str) -> str:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    text = response.content.decode()
    assert f'<html lang="{language}">' in text
    assert "Traceback" not in text and "Error" not in text
    assert "5432" not in text and "sqlite" not in text.lower()  # nothing of the driver's message
    return text


def test_a_signed_in_user_gets_the_503_page_in_their_language(kov_a, tmp_path):
    client = browser("en")
    client.force_login(kov_a)
    with database_down(tmp_path):
        for url in (reverse("dashboard"), reverse("practice_create")):
            text = assert_plain_503(client.get(url), "en")
            assert "its database cannot be reached" in text
        posted = client.post(reverse("practice_create"), {"title": "Naabrivalve"})
        assert "it was not saved" in assert_plain_503(posted, "en")
    # Back up: the same browser carries on where it was.
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_503_page_is_estonian_by_default_and_carries_the_security_headers(tmp_path):
    with database_down(tmp_path):
        response = browser().post(
            reverse("login"), {"username": "tiina@rapla.example", "password": "x" * 12}
        )
    assert_plain_503(response, "et")
    assert "object-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_health_check_reports_the_database_down(tmp_path):
    with database_down(tmp_path):
        response = browser().get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}
    assert int(response["Retry-After"]) > 0
    assert browser().get(reverse("health")).json() == {"status": "ok"}


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="a database host is a PostgreSQL setting",
)
def test_a_database_host_that_never_answers_gives_the_503_within_seconds():
    # A port that takes the connection and then says nothing, as a host gone silent does.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        working = connections[DEFAULT_DB_ALIAS]
        unanswered = copy.deepcopy(working.settings_dict)
        unanswered |= {"HOST": "127.0.0.1", "PORT": silent.getsockname()[1]}
        connections[DEFAULT_DB_ALIAS] = type(working)(unanswered, DEFAULT_DB_ALIAS)
        try:
            started = time.monotonic()
            response = browser().get(reverse("health"))
            waited = time.monotonic() - started
        finally:
            connections[DEFAULT_DB_ALIAS].close()
            connections[DEFAULT_DB_ALIAS] = working
    assert response.status_code == 503
    assert waited < 2 * unanswered["OPTIONS"]["connect_timeout"]


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="a dropped connection is a PostgreSQL server's doing",
)
def test_a_kept_connection_that_the_database_dropped_is_replaced_at_the_next_request():
    """A worker keeps its connection between requests (CONN_MAX_AGE). When the database drops
    it (a restart), the next request opens a new one instead of answering 503."""
    working = connections[DEFAULT_DB_ALIAS]
    kept = type(working)(copy.deepcopy(working.settings_dict), DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = kept
    try:
        assert browser().get(reverse("health")).status_code == 200
        dropped = kept.connection.info.backend_pid
        with working.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [dropped])
        # What a server does as each request starts; the test client leaves it out.
        close_old_connections()
        response = browser().get(reverse("health"))
        assert kept.connection.info.backend_pid != dropped
    finally:
        kept.close()
        connections[DEFAULT_DB_ALIAS] = working
    assert response.status_code == 200


def test_other_errors_still_get_the_500_page(rf):
    """The control: only the database's failures are a 503."""
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
