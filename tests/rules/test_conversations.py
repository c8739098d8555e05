"""Who may write in a participation's thread (conversations/rules.py): its parties, never an
administrator who is not ministry staff; the same people read it (tests/conversations)."""

from types import SimpleNamespace

import pytest

from programme.models import Participation
from tests.rules.table import check, row

MINISTRY = {"evaluator", "ministry"}  # ministry staff, whatever else they do; not the admin


@pytest.fixture
def world(people, participation):
    b = Participation.objects.get(municipality=people["other_municipality"].municipality)
    unassigned = Participation.objects.get(pk=participation.pk)
    unassigned.service_provider = None
    return SimpleNamespace(a=participation, b=b, unassigned=unassigned)


TABLE = [
    row(
        "conversations.post",
        "A's, counselled by the provider",
        lambda w: (w.a,),
        allowed=MINISTRY | {"own_municipality", "assigned_provider"},
    ),
    row(
        "conversations.post",
        "A's, no provider assigned",
        lambda w: (w.unassigned,),
        allowed=MINISTRY | {"own_municipality"},
    ),
    row(
        "conversations.post",
        "B's, no provider assigned",
        lambda w: (w.b,),
        allowed=MINISTRY | {"other_municipality"},
    ),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
