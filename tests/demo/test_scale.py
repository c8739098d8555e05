"""seed_demo --scale N: N copies of Estonia, consistent with the domain rules and the same for
the same seed."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from actionplans.models import ActionPlan, Measurement
from counselling.models import CounsellingSession
from grants.models import BudgetLine, LedgerEntry
from learning.models import SharingEvent, Training
from programme.models import Municipality, Participation

pytestmark = pytest.mark.django_db


def ledger_fingerprint() -> list[tuple[str, str, Decimal]]:
    return list(
        LedgerEntry.objects.order_by("participation__municipality__ehak_code", "invoice_number")
        .filter(kind="expenditure")
        .values_list("participation__municipality__name", "invoice_number", "amount")[:50]
    )


def test_scale_two_builds_two_consistent_copies_of_estonia_and_runs_again():
    call_command("seed_demo", scale=2, seed=7, stdout=StringIO())
    assert Municipality.objects.count() == 2 * 79
    assert Municipality.objects.filter(name="Rapla vald 2").exists()
    assert Participation.objects.count() == 2 * 16
    assert ActionPlan.objects.count() == 2 * 16
    assert Measurement.objects.exists()
    for participation in Participation.objects.all():
        entries = participation.ledger_entries.all()
        disbursed = entries.filter(kind="disbursement").aggregate(s=Sum("amount"))["s"] or 0
        spent = entries.filter(kind="expenditure").aggregate(s=Sum("amount"))["s"] or 0
        assert disbursed <= participation.grant_amount and spent <= participation.grant_amount
        assert all(
            participation.start_on <= entry.entry_on <= participation.end_on for entry in entries
        )
        lines = BudgetLine.objects.filter(participation=participation).aggregate(s=Sum("amount"))
        assert lines["s"] == participation.grant_amount
    sessions = CounsellingSession.objects.select_related("participation")
    assert sessions.exists()
    assert all(s.service_provider_id == s.participation.service_provider_id for s in sessions)

    before = (LedgerEntry.objects.count(), ledger_fingerprint(), learning_of(2))
    call_command("seed_demo", scale=2, seed=7, stdout=StringIO())
    assert (LedgerEntry.objects.count(), ledger_fingerprint(), learning_of(2)) == before


def learning_of(copy: int) -> list[tuple[str, ...]]:
    """Copy N's trainings and sharing days with their municipalities, the number left out."""

    def ours(name: str) -> bool:
        return name.endswith(f" {copy}") if copy > 1 else not name[-1].isdigit()

    def plain(name: str) -> str:
        return name.removesuffix(f" {copy}") if copy > 1 else name

    trainings = [
        (
            plain(t.title),
            *sorted(f"{p.name}, {plain(p.municipality.name)}" for p in t.participants.all()),
        )
        for t in Training.objects.prefetch_related("participants__municipality")
        if ours(t.title)
    ]
    events = [
        (
            plain(e.title),
            *sorted(f"presented: {plain(m.name)}" for m in e.presenters.all()),
            *sorted(f"attended: {plain(m.name)}" for m in e.attendees.all()),
        )
        for e in SharingEvent.objects.prefetch_related("presenters", "attendees")
        if ours(e.title)
    ]
    return sorted(trainings + events)


def test_each_copy_holds_estonias_trainings_and_sharing_days_with_its_own_municipalities():
    call_command("seed_demo", scale=3, seed=7, stdout=StringIO())
    estonia = learning_of(1)
    assert len(estonia) == Training.objects.count() / 3 + SharingEvent.objects.count() / 3
    assert any(len(row) > 1 for row in estonia)  # people registered, municipalities came
    assert learning_of(2) == estonia
    assert learning_of(3) == estonia


class Rollback(Exception):
    pass


def fingerprint_of_a_build(seed: int) -> list[tuple[str, str, Decimal]]:
    """The ledger a build writes, rolled back afterwards."""
    try:
        with transaction.atomic():
            call_command("seed_demo", scale=1, seed=seed, stdout=StringIO())
            found = ledger_fingerprint()
            raise Rollback
    except Rollback:
        return found


def test_the_same_seed_gives_the_same_data():
    first = fingerprint_of_a_build(7)
    assert first
    assert fingerprint_of_a_build(7) == first
