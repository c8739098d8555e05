"""Who answers access requests and erases a person (privacy/rules.py): administrators; erasure
only of a deactivated account, not yet erased, and never the administrator's own."""

from types import SimpleNamespace

import pytest

from accounts.models import Role
from privacy.pseudonyms import ANONYMISED_DOMAIN
from tests.factories import UserFactory
from tests.rules.table import check, row

ADMIN = {"admin"}


@pytest.fixture
def world(people):
    return SimpleNamespace(
        active=people["own_municipality"],
        inactive=UserFactory(
            role=Role.MUNICIPALITY, email="lahkunud@rapla.example", is_active=False
        ),
        erased=UserFactory(
            role=Role.MUNICIPALITY,
            email=f"person-0123456789ab@{ANONYMISED_DOMAIN}",
            is_active=False,
        ),
        themself=people["admin"],
    )


TABLE = [
    row("privacy.export", "an active person", lambda w: (w.active,), allowed=ADMIN),
    row("privacy.export", "an erased person", lambda w: (w.erased,), allowed=ADMIN),
    row("privacy.erase", "a deactivated person", lambda w: (w.inactive,), allowed=ADMIN),
    row("privacy.erase", "an active person", lambda w: (w.active,), not_now=ADMIN),
    row("privacy.erase", "an erased person", lambda w: (w.erased,), not_now=ADMIN),
    row("privacy.erase", "the administrator", lambda w: (w.themself,)),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
