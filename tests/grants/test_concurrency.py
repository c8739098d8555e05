"""Twenty expenditures at once against one budget line, on PostgreSQL with real transactions."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from grants import services
from grants.models import ClaimLine, LedgerEntry, RefusedEntry
from tests.grants.claims import claim_of, expenditure
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


def _at_once(n: int, act) -> list[str]:
    start = threading.Barrier(n)
    outcomes: list[str] = []

    def run(i: int) -> None:
        # A new thread speaks the portal's language: the refusals are compared in English.
        try:
            start.wait()
            with translation.override("en"):
                act(i)
            outcomes.append("committed")
        except ValidationError as error:
            with translation.override("en"):
                outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_ministry_users_accepting_a_claim_at_once_pay_it_once(
    participation, training_line, kov_a, ministry, admin, in_english
):
    claim = claim_of(participation, kov_a)
    services.add_to_claim(
        claim=claim,
        entries=[expenditure(participation, training_line, "700.00", kov_a)],
        user=kov_a,
    )
    services.submit_claim(claim=claim, user=kov_a)
    services.review_claim_line(
        line=claim.lines.get(), decision="accepted", accepted_amount=None, reason="", user=ministry
    )
    deciders = [ministry, admin]
    outcomes = _at_once(2, lambda i: services.decide_claim(claim=claim, user=deciders[i]))
    assert sorted(outcomes) == ["This claim is already decided.", "committed"]
    [paid] = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.DISBURSEMENT)
    assert paid.amount == Decimal("700.00")
    claim.refresh_from_db()
    assert claim.disbursement == paid


@pytest.mark.django_db(transaction=True)
def test_two_claims_grabbing_the_same_expenditure_at_once_one_wins(
    participation, training_line, kov_a, in_english
):
    entry = expenditure(participation, training_line, "700.00", kov_a)
    claims = [claim_of(participation, kov_a), claim_of(participation, kov_a)]
    outcomes = _at_once(
        2, lambda i: services.add_to_claim(claim=claims[i], entries=[entry], user=kov_a)
    )
    assert sorted(outcomes)[1] == "committed"
    assert "is already in another payment claim" in sorted(outcomes)[0]
    assert ClaimLine.objects.filter(entry=entry).count() == 1
