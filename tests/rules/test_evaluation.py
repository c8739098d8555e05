"""Who may record a participation's Ringist Välja and STAD counts."""

import copy
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.rules.table import check, row


@pytest.fixture
def world(participation):
    closed = copy.copy(participation)
    closed.closed_at = timezone.now()
    return SimpleNamespace(participation=participation, closed=closed)


TABLE = [
    row(
        "evaluation.record_counts",
        "open",
        lambda w: (w.participation,),
        allowed={"own_municipality"},
    ),
    row(
        "evaluation.record_counts",
        "closed",
        lambda w: (w.closed,),
        not_now={"own_municipality"},
    ),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
