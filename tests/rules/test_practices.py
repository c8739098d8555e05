"""Who may describe, change, submit and publish good practices, in each of their states
(practices/rules.py)."""

from types import SimpleNamespace

import pytest

from practices import services
from practices.models import Practice
from programme.models import County
from tests.practices.conftest import make_practice
from tests.rules.table import STAFF, check, row

OWN = {"own_municipality"}
KEEPERS = OWN | STAFF  # A's practices are kept by A and the ministry
STATES = ("draft", "submitted", "returned", "published")


@pytest.fixture
def world(people):
    own, ministry = people["own_municipality"], people["ministry"]
    draft = make_practice(own, title="Mustand")
    submitted = make_practice(own, title="Saadetud")
    services.submit_practice(practice=submitted, user=own)
    returned = make_practice(own, title="Tagastatud")
    services.submit_practice(practice=returned, user=own)
    services.return_practice(practice=returned, user=ministry, comment="Lisa tulemused.")
    published = make_practice(own, title="Avaldatud")
    services.submit_practice(practice=published, user=own)
    services.publish_practice(practice=published, user=ministry)
    practices = {
        state: Practice.objects.get(pk=practice.pk)
        for state, practice in zip(STATES, (draft, submitted, returned, published), strict=True)
    }
    assert [p.status for p in practices.values()] == list(STATES)
    harju = County.objects.get(ehak_code="0037")
    return SimpleNamespace(
        **practices,
        ministrys=make_practice(None, county=harju, title="Juhend", status="published"),
    )


def of(state: str):
    return lambda w: (getattr(w, state),)


TABLE = [
    row(
        "practices.create_practice",
        "a new practice",
        lambda w: (),
        allowed=STAFF
        | {
            "own_municipality",
            "other_municipality",
        },
    ),
    # A changes its practice until it is published; then the ministry does.
    *(
        row("practices.edit_practice", state, of(state), allowed=KEEPERS)
        for state in ("draft", "submitted", "returned")
    ),
    row("practices.edit_practice", "published", of("published"), allowed=STAFF, not_now=OWN),
    row("practices.edit_practice", "the ministry's, published", of("ministrys"), allowed=STAFF),
    # A draft or a returned practice is submitted, by A or the ministry.
    row("practices.submit_practice", "draft", of("draft"), allowed=KEEPERS),
    row("practices.submit_practice", "submitted", of("submitted"), not_now=KEEPERS),
    row("practices.submit_practice", "returned", of("returned"), allowed=KEEPERS),
    row("practices.submit_practice", "published", of("published"), not_now=KEEPERS),
    # The ministry publishes or returns a submitted practice, and unpublishes a published one.
    *(
        row(
            action,
            state,
            of(state),
            allowed=STAFF if state == "submitted" else (),
            not_now=() if state == "submitted" else STAFF,
        )
        for action in ("practices.publish_practice", "practices.return_practice")
        for state in STATES
    ),
    *(
        row(
            "practices.unpublish_practice",
            state,
            of(state),
            allowed=STAFF if state == "published" else (),
            not_now=() if state == "published" else STAFF,
        )
        for state in STATES
    ),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
