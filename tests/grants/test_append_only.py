"""The ministry's reviews are append-only in the database, like the ledger: a decision, once
written, is neither changed nor taken back, by the portal or by anyone connecting directly. On
PostgreSQL neither table can be emptied with TRUNCATE either; the test suite's own flush alone
gets through (tests/audit/flush.py), and leaves the guards as they were."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from grants import services
from grants.models import ExpenditureReview, LedgerEntry
from tests.audit.flush import GUARDED
from tests.grants.conftest import expenditure_kwargs

REVIEW_REFUSAL = "expenditure reviews are never changed or deleted"
LEDGER_REFUSAL = "ledger entries are never changed or deleted"

# The test's rows are not committed, their foreign-key checks still pending, and PostgreSQL
# refuses a TRUNCATE with checks pending before any trigger: they are run first.
IMMEDIATE = "SET CONSTRAINTS ALL IMMEDIATE"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no TRUNCATE (CI runs on PostgreSQL)"
)


@pytest.fixture
def rejected(participation, staff_line, kov_a, ministry) -> ExpenditureReview:
    entry = services.record_expenditure(
        **expenditure_kwargs(participation, staff_line, "1000.10", kov_a)
    )
    return services.review_expenditure(
        entry=entry, approve=False, reason="Ei ole abikõlblik", user=ministry
    )


def counting() -> list[LedgerEntry]:
    return list(LedgerEntry.objects.counting())


@pytest.mark.django_db
def test_a_rejected_review_cannot_become_an_approval(rejected):
    with pytest.raises(DatabaseError, match=REVIEW_REFUSAL), transaction.atomic():
        ExpenditureReview.objects.filter(pk=rejected.pk).update(is_approved=True, reason="")
    rejected.is_approved, rejected.reason = True, ""
    with pytest.raises(DatabaseError, match=REVIEW_REFUSAL), transaction.atomic():
        rejected.save()
    with (
        pytest.raises(DatabaseError, match=REVIEW_REFUSAL),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE grants_expenditurereview SET is_approved = TRUE, reason = ''")
    review = ExpenditureReview.objects.get()
    assert (review.is_approved, review.reason) == (False, "Ei ole abikõlblik")
    assert counting() == []


@pytest.mark.django_db
def test_a_review_cannot_be_deleted_to_decide_again(rejected):
    # Without the review the expenditure would be waiting again, and count as spent.
    with pytest.raises(DatabaseError, match=REVIEW_REFUSAL), transaction.atomic():
        ExpenditureReview.objects.filter(pk=rejected.pk).delete()
    with pytest.raises(DatabaseError, match=REVIEW_REFUSAL), transaction.atomic():
        rejected.delete()
    with (
        pytest.raises(DatabaseError, match=REVIEW_REFUSAL),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM grants_expenditurereview")
    assert ExpenditureReview.objects.get().is_approved is False
    assert counting() == []


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("TRUNCATE grants_expenditurereview", REVIEW_REFUSAL),
        # CASCADE would empty the reviews and whatever else points at the ledger as well.
        ("TRUNCATE grants_ledgerentry CASCADE", LEDGER_REFUSAL),
        # Without CASCADE, every table that points at the ledger is named, or PostgreSQL refuses
        # for the foreign keys before the trigger is asked.
        (
            "TRUNCATE grants_ledgerentry, grants_expenditurereview, inquiries_informationrequest,"
            " grants_claimline, grants_paymentclaim",
            LEDGER_REFUSAL,
        ),
    ],
)
def test_the_database_refuses_to_truncate_the_ledger_or_the_reviews(rejected, statement, refusal):
    with (
        pytest.raises(DatabaseError, match=refusal),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(IMMEDIATE)
        cursor.execute(statement)
    assert (LedgerEntry.objects.count(), ExpenditureReview.objects.count()) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_the_suites_flush_empties_the_guarded_tables_and_leaves_their_guards(rejected):
    call_command("flush", interactive=False, verbosity=0, stdout=StringIO())
    assert not LedgerEntry.objects.exists() and not ExpenditureReview.objects.exists()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for guard in GUARDED:
                # Refused on an empty table too: the guard is a statement trigger.
                with pytest.raises(DatabaseError, match=guard.refusal), transaction.atomic():
                    cursor.execute(f"TRUNCATE {guard.table} CASCADE")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {name for (name,) in cursor.fetchall()}
            for guard in GUARDED:
                assert {f"{guard.name}_update", f"{guard.name}_delete"} <= triggers
