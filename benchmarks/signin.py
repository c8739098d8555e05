"""Signing in for the benchmarks, in one place: the page timings use the test client, the load
test a session cookie made in the database (no login form: no lockouts, no password hashing).
Staff who sign in with a second factor get a confirmed TOTP device and a verified session."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from accounts.models import User
from accounts.testing import enter_second_factor, force_login


def signed_in_client(user: User) -> Client:
    """A test client signed in as the user."""
    # localhost is an allowed host without the test environment, whose template instrumentation
    # (a signal and a context copy a template) would be timed with the pages.
    return force_login(Client(HTTP_HOST="localhost"), user)


def session_cookie(user: User) -> tuple[str, str]:
    """(cookie name, value) of a new database session signed in as the user."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    enter_second_factor(session, user)
    session.create()
    return settings.SESSION_COOKIE_NAME, session.session_key or ""
