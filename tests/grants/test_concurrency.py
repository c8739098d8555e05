"""Twenty expenditures at once against one budget line, on PostgreSQL with real transactions."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from grants import services
from grants.models import LedgerEntry, RefusedEntry
from tests.grants.conftest import expenditure_kwargs

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs on it)"
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_expenditures_never_overspend_a_line(participation, training_line, kov_a):
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def post() -> None:
        try:
            start.wait()
            services.record_expenditure(
                **expenditure_kwargs(participation, training_line, "700.00", kov_a)
            )
            outcomes.append("committed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # 10 000 EUR admits 14 expenditures of 700 EUR; every request either commits or is refused.
    assert sorted(outcomes) == ["committed"] * 14 + ["refused"] * 6
    spent = sum(
        LedgerEntry.objects.filter(budget_line=training_line).values_list("amount", flat=True)
    )
    assert spent == Decimal("9800.00") <= training_line.amount
    assert RefusedEntry.objects.count() == 6
