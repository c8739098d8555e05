"""How long a staff session lasts, and which sessions each person holds.

A session of someone with ``User.is_second_factor_required`` ends 30 minutes after its last
request (noted to the minute) and 12 hours after signing in (settings.STAFF_SESSION_IDLE,
STAFF_SESSION_MAX). The times are kept in the session and checked on the server at every
request; the cookie and the stored session are also given the same end, so that they do not
outlive it.

Every signed-in session is noted in UserSession, so that deactivating a person deletes their
sessions by key instead of reading every session in the store.
"""

from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction

from accounts.models import User, UserSession

SIGNED_IN_AT = "staff_signed_in_at"
SEEN_AT = "staff_seen_at"
# The key a browser's sign-in was last noted under in UserSession: signing in and entering the
# second factor give it a new key.
NOTED_KEY = "noted_session_key"
SEEN_PRECISION = timedelta(minutes=1)


def _time(session: SessionBase, name: str) -> datetime | None:
    value = session.get(name)
    return datetime.fromisoformat(value) if value else None


def staff_session_has_ended(user: object, session: SessionBase, at: datetime) -> bool:
    """Whether this staff session was idle too long or has lasted too long in all."""
    if not isinstance(user, User) or not user.is_second_factor_required:
        return False
    signed_in_at, seen_at = _time(session, SIGNED_IN_AT), _time(session, SEEN_AT)
    if signed_in_at is None or seen_at is None:
        return False  # not noted yet: this request notes it
    return (
        at - seen_at >= settings.STAFF_SESSION_IDLE
        or at - signed_in_at >= settings.STAFF_SESSION_MAX
    )


def note_request(user: object, session: SessionBase, at: datetime) -> None:
    """After a request of a signed-in person: note the session as theirs, and restart a staff
    session's idle time."""
    if not isinstance(user, User):
        return  # not signed in
    if user.is_second_factor_required:
        signed_in_at = _time(session, SIGNED_IN_AT) or at
        seen_at = _time(session, SEEN_AT)
        # Idle time or what is left of the 12 hours, whichever ends first.
        left = min(settings.STAFF_SESSION_IDLE, signed_in_at + settings.STAFF_SESSION_MAX - at)
        # Noting the time writes the session: to the minute is enough, not every request,
        # until the 12 hours' end comes before the idle time's.
        if seen_at is None or at - seen_at >= SEEN_PRECISION or left < settings.STAFF_SESSION_IDLE:
            session[SIGNED_IN_AT] = signed_in_at.isoformat()
            session[SEEN_AT] = at.isoformat()
            session.set_expiry(max(int(left.total_seconds()), 1))
    _note_session(user, session)


def _note_session(user: User, session: SessionBase) -> None:
    if session.session_key is None:
        session.save()  # signing in as another person empties the session and its key
    key = session.session_key
    noted = session.get(NOTED_KEY)
    if noted == key:
        return
    with transaction.atomic():
        if noted:
            UserSession.objects.filter(session_key=noted).delete()
        UserSession.objects.update_or_create(session_key=key, defaults={"user": user})
        _forget_ended_sessions(user, keep=key)
    session[NOTED_KEY] = key


def _forget_ended_sessions(user: User, keep: str | None) -> None:
    """Sessions that expired or were signed out of leave their note behind; drop those of this
    person at each new sign-in, so that the notes stay as few as the live sessions."""
    store = _session_store()
    for note in user.signed_in_sessions.exclude(session_key=keep):
        if not store().exists(note.session_key):
            note.delete()


def end_sessions(*, user: User) -> int:
    """Delete every session the person holds, wherever they are signed in; how many."""
    store = _session_store()
    notes = list(user.signed_in_sessions.all())
    for note in notes:
        store().delete(note.session_key)
    user.signed_in_sessions.all().delete()
    return len(notes)


def _session_store() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore
