"""Who may handle the grant's money (the README's money authority table)."""

import copy
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from grants import services
from grants.models import LedgerEntry
from tests.factories import decided_move
from tests.rules.table import STAFF, check, row

OWN = {"own_municipality"}


@pytest.fixture
def world(people, participation):
    own, ministry = people["own_municipality"], people["ministry"]
    staff_line, training_line, _reserve = participation.budget_lines.all()
    today = timezone.localdate()

    def expenditure(amount: str) -> LedgerEntry:
        return services.record_expenditure(
            participation=participation,
            budget_line=staff_line,
            amount=Decimal(amount),
            entry_on=today,
            description="Koolitus",
            supplier="Tarnija OÜ",
            invoice_number=amount,
            document=None,
            user=own,
        )

    def change() -> object:
        return services.request_budget_change(
            participation=participation,
            deltas=decided_move(participation, staff_line, training_line, Decimal("10")),
            reason="Koolitusi on rohkem",
            user=own,
        )

    approved, rejected, reversed_entry = expenditure("1"), expenditure("2"), expenditure("3")
    services.review_expenditure(entry=approved, approve=True, reason="", user=ministry)
    services.review_expenditure(entry=rejected, approve=False, reason="Ei sobi", user=ministry)
    reversal = services.reverse_entry(entry=reversed_entry, reason="Topelt", user=own)
    decided = change()
    services.decide_budget_change(change=decided, approve=True, reason="", user=ministry)
    decided.refresh_from_db()
    ended = copy.copy(participation)
    ended.end_on = today - timedelta(days=1)
    return SimpleNamespace(
        open=participation,
        ended=ended,
        disbursement=services.record_disbursement(
            participation=participation,
            amount=Decimal("100"),
            entry_on=today,
            tranche=1,
            user=ministry,
        ),
        pending=expenditure("4"),
        approved=approved,
        rejected=rejected,
        reversed=reversed_entry,
        reversal=reversal,
        pending_change=change(),
        decided_change=decided,
    )


TABLE = [
    row("grants.record_expenditure", "open", lambda w: (w.open,), allowed=OWN),
    row("grants.record_expenditure", "ended", lambda w: (w.ended,), not_now=OWN),
    row("grants.request_change", "open", lambda w: (w.open,), allowed=OWN),
    row("grants.request_change", "ended", lambda w: (w.ended,), not_now=OWN),
    row("grants.record_disbursement", "open", lambda w: (w.open,), allowed=STAFF),
    row("grants.record_disbursement", "ended", lambda w: (w.ended,), not_now=STAFF),
    row("grants.review", "pending", lambda w: (w.pending,), allowed=STAFF),
    row("grants.review", "approved", lambda w: (w.approved,), not_now=STAFF),
    row("grants.review", "rejected", lambda w: (w.rejected,), not_now=STAFF),
    row("grants.review", "reversed", lambda w: (w.reversed,), not_now=STAFF),
    row("grants.review", "a disbursement", lambda w: (w.disbursement,)),
    # A municipality undoes its own mistake before the ministry has looked; after that, and for
    # the ministry's own disbursements, only the ministry reverses, with a reason.
    row("grants.reverse", "pending", lambda w: (w.pending,), allowed=OWN, not_now=STAFF),
    row("grants.reverse", "approved", lambda w: (w.approved,), allowed=STAFF),
    row("grants.reverse", "rejected", lambda w: (w.rejected,), not_now=STAFF),
    row("grants.reverse", "reversed", lambda w: (w.reversed,), not_now=OWN | STAFF),
    row("grants.reverse", "a disbursement", lambda w: (w.disbursement,), allowed=STAFF),
    row("grants.reverse", "a reversal", lambda w: (w.reversal,)),
    row("grants.decide_change", "pending", lambda w: (w.pending_change,), allowed=STAFF),
    row("grants.decide_change", "decided", lambda w: (w.decided_change,), not_now=STAFF),
    row("grants.export", "the programme's ledgers", lambda w: (), allowed=STAFF),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
