"""Who may change the programme's frame: the calls, the participations taken in from before the
portal, the service providers and their assignments, and the reference data
(programme/rules.py)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.factories import CallFactory
from tests.rules.table import STAFF, check, row

ADMIN = {"admin"}


@pytest.fixture
def world(people, participation):
    days = timedelta(days=30)
    return SimpleNamespace(
        participation=participation,
        provider=people["assigned_provider"].service_provider,
        open_call=CallFactory(),
        closed_call=CallFactory(
            opens_at=timezone.now() - 2 * days, deadline_at=timezone.now() - days
        ),
    )


TABLE = [
    # The ministry changes a call whatever its state: a date or a place corrected after the
    # deadline is still the ministry's to make.
    row("programme.edit_call", "a new call", lambda w: (), allowed=STAFF),
    row("programme.edit_call", "an open call", lambda w: (w.open_call,), allowed=STAFF),
    row("programme.edit_call", "a closed call", lambda w: (w.closed_call,), allowed=STAFF),
    row("programme.import_participations", "a file", lambda w: (), allowed=STAFF),
    # A provider's own people see its details but do not keep them: the ministry does.
    row("programme.edit_provider", "a new provider", lambda w: (), allowed=STAFF),
    row("programme.edit_provider", "A's provider", lambda w: (w.provider,), allowed=STAFF),
    row("programme.assign_providers", "the participations", lambda w: (), allowed=STAFF),
    # Django admin's, so the administrators'.
    row("programme.edit_reference_data", "counties and municipalities", lambda w: (), ADMIN),
    row("programme.edit_participation", "a new participation", lambda w: (), allowed=ADMIN),
    row("programme.edit_participation", "A's", lambda w: (w.participation,), allowed=ADMIN),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
