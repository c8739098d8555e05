from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from grants import services
from grants.models import (
    LedgerEntry,
    RefusedEntry,
    ledger_overview,
    ledger_total,
    line_totals,
    with_ledger_totals,
)
from programme.models import Participation
from tests.factories import decided_move
from tests.grants.conftest import expenditure_kwargs
from turvaportaal.lib.rules import Forbidden

pytestmark = pytest.mark.django_db


def totals(participation):
    [row] = with_ledger_totals(Participation.objects.filter(pk=participation.pk))
    return row


def test_the_budget_adds_up_to_the_grant_with_the_rest_unallocated(participation):
    amounts = list(participation.budget_lines.values_list("amount", flat=True))
    assert amounts == [Decimal("20000.00"), Decimal("10000.00"), Decimal("5000.00")]
    assert sum(amounts) == participation.grant_amount


def test_spent_counts_pending_and_approved_but_not_rejected_or_reversed(
    participation, staff_line, kov_a, ministry, in_english
):
    a = services.record_expenditure(
        **expenditure_kwargs(participation, staff_line, "1000.10", kov_a)
    )
    b = services.record_expenditure(
        **expenditure_kwargs(participation, staff_line, "2000.20", kov_a)
    )
    c = services.record_expenditure(
        **expenditure_kwargs(participation, staff_line, "300.30", kov_a)
    )
    services.review_expenditure(entry=a, approve=True, reason="", user=ministry)
    services.review_expenditure(entry=b, approve=False, reason="Ei ole abikõlblik", user=ministry)
    services.reverse_entry(entry=c, reason="Topelt", user=kov_a)
    [line] = [line for line in line_totals(participation) if line.pk == staff_line.pk]
    assert (line.approved_spent, line.pending_spent, line.remaining) == (
        Decimal("1000.10"),
        Decimal("0.00"),
        Decimal("18999.90"),
    )
    row = totals(participation)
    assert row.approved_spent + row.pending_spent == Decimal("1000.10")


def test_a_line_is_never_overspent_and_the_attempt_is_recorded(
    participation, training_line, kov_a, in_english
):
    services.record_expenditure(
        **expenditure_kwargs(participation, training_line, "9999.99", kov_a)
    )
    with pytest.raises(ValidationError, match="more than the line's remaining 0.01"):
        services.record_expenditure(
            **expenditure_kwargs(participation, training_line, "0.02", kov_a)
        )
    assert RefusedEntry.objects.get().amount == Decimal("0.02")
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("days", "message"),
    [(-400, "within the participation"), (600, "within the participation")],
)
def test_the_date_lies_within_the_participation(
    participation, staff_line, kov_a, days, message, in_english
):
    with pytest.raises(ValidationError, match=message):
        services.record_expenditure(
            **expenditure_kwargs(
                participation,
                staff_line,
                "10",
                kov_a,
                entry_on=timezone.localdate() + timedelta(days=days),
            )
        )


def test_no_entries_after_the_participation_ended(participation, staff_line, kov_a, in_english):
    Participation.objects.filter(pk=participation.pk).update(
        end_on=timezone.localdate() - timedelta(days=1)
    )
    participation.refresh_from_db()
    with pytest.raises(ValidationError, match="has ended"):
        services.record_expenditure(
            **expenditure_kwargs(
                participation, staff_line, "10", kov_a, entry_on=participation.end_on
            )
        )


def test_disbursements_never_exceed_the_grant(participation, ministry, in_english):
    services.record_disbursement(
        participation=participation,
        amount=Decimal("30000"),
        entry_on=timezone.localdate(),
        tranche=1,
        user=ministry,
    )
    with pytest.raises(ValidationError, match="over the 35,000.00"):
        services.record_disbursement(
            participation=participation,
            amount=Decimal("5000.01"),
            entry_on=timezone.localdate(),
            tranche=2,
            user=ministry,
        )
    assert totals(participation).disbursed == Decimal("30000.00")


def test_reversals_cannot_be_reversed_nor_cross_participations(
    participation, staff_line, kov_a, kov_b, in_english
):
    entry = services.record_expenditure(
        **expenditure_kwargs(participation, staff_line, "10", kov_a)
    )
    reversal = services.reverse_entry(entry=entry, reason="Viga", user=kov_a)
    with pytest.raises(Forbidden, match="cannot be reversed"):
        services.reverse_entry(entry=reversal, reason="Viga", user=kov_a)
    with pytest.raises(ValidationError, match="already reversed"):
        services.reverse_entry(entry=entry, reason="Viga", user=kov_a)
    Participation.objects.create(
        municipality=kov_b.municipality,
        cohort=participation.cohort,
        start_on=participation.start_on,
        end_on=participation.end_on,
        source="import",
    )
    with pytest.raises(Forbidden, match="Only the municipality and the ministry"):
        services.reverse_entry(entry=entry, reason="Viga", user=kov_b)


def test_the_database_refuses_to_change_or_delete_an_entry(participation, staff_line, kov_a):
    entry = services.record_expenditure(
        **expenditure_kwargs(participation, staff_line, "10", kov_a)
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()


def test_a_budget_change_moves_money_once_approved(
    participation, staff_line, training_line, kov_a, ministry, in_english
):
    with pytest.raises(ValidationError, match="add up to zero"):
        services.request_budget_change(
            participation=participation,
            deltas={(staff_line.pk, participation.start_on.year): Decimal("-100")},
            reason="Vaja",
            user=kov_a,
        )
    change = services.request_budget_change(
        participation=participation,
        deltas=decided_move(participation, staff_line, training_line, Decimal("1500.50")),
        reason="Rohkem koolitusi",
        user=kov_a,
    )
    training_line.refresh_from_db()
    assert training_line.amount == Decimal("10000.00")
    services.decide_budget_change(change=change, approve=True, reason="", user=ministry)
    training_line.refresh_from_db()
    assert training_line.amount == Decimal("11500.50")
    assert (
        sum(participation.budget_lines.values_list("amount", flat=True))
        == participation.grant_amount
    )


def test_the_programme_total_is_the_sum_of_the_rows_to_the_cent(
    participation, staff_line, kov_a, ministry
):
    assert ledger_total(Participation.objects.none()) == dict.fromkeys(
        ["grant", "disbursed", "spent", "approved", "pending", "remaining"], Decimal("0.00")
    )
    kept, rejected, undone, _waiting = (
        services.record_expenditure(**expenditure_kwargs(participation, staff_line, amount, kov_a))
        for amount in ["1000.10", "2000.20", "300.30", "0.07"]
    )
    services.review_expenditure(entry=kept, approve=True, reason="", user=ministry)
    services.review_expenditure(entry=rejected, approve=False, reason="Ei sobi", user=ministry)
    services.reverse_entry(entry=undone, reason="Topelt", user=kov_a)
    services.record_disbursement(
        participation=participation,
        amount=Decimal("17500.01"),
        entry_on=timezone.localdate(),
        tranche=1,
        user=ministry,
    )
    rows = ledger_overview(Participation.objects.all())
    total = ledger_total(Participation.objects.all())
    assert total == {
        "grant": participation.grant_amount,
        "disbursed": sum((row.disbursed for row in rows), Decimal("0.00")),
        "spent": sum((row.spent for row in rows), Decimal("0.00")),
        "approved": sum((row.approved for row in rows), Decimal("0.00")),
        "pending": sum((row.pending for row in rows), Decimal("0.00")),
        "remaining": sum((row.remaining for row in rows), Decimal("0.00")),
    }
    assert (total["disbursed"], total["spent"], total["pending"]) == (
        Decimal("17500.01"),
        Decimal("1000.17"),
        Decimal("0.07"),
    )
