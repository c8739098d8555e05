"""Payment claims: collect, submit, review line by line, decide and pay."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants import services
from grants.models import (
    ClaimLine,
    ClaimStatus,
    ExpenditureReview,
    LedgerEntry,
    LineDecision,
    PaymentClaim,
    line_totals,
)
from notifications.models import Kind, Notification
from tests.grants.claims import claim_of, expenditure

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(participation, staff_line, training_line, kov_a, ministry):
    entries = [
        expenditure(participation, staff_line, "1000.00", kov_a),
        expenditure(participation, training_line, "300.00", kov_a),
        expenditure(participation, training_line, "200.00", kov_a),
    ]
    claim = claim_of(participation, kov_a)
    services.add_to_claim(claim=claim, entries=entries, user=kov_a)
    return services.submit_claim(claim=claim, user=kov_a)


def test_an_expenditure_without_a_document_cannot_be_claimed_and_says_why(
    participation, staff_line, kov_a, in_english
):
    bare = expenditure(participation, staff_line, "10.00", kov_a, document=False)
    claim = claim_of(participation, kov_a)
    with pytest.raises(ValidationError, match="no supporting document"):
        services.add_to_claim(claim=claim, entries=[bare], user=kov_a)
    assert not claim.lines.exists()


def test_an_expenditure_outside_the_period_or_rejected_is_not_a_candidate(
    participation, staff_line, kov_a, ministry
):
    old = expenditure(participation, staff_line, "10.00", kov_a, entry_on=participation.start_on)
    rejected = expenditure(participation, staff_line, "20.00", kov_a)
    services.review_expenditure(entry=rejected, approve=False, reason="Ei", user=ministry)
    kept = expenditure(participation, staff_line, "30.00", kov_a)
    claim = claim_of(participation, kov_a)
    assert list(claim.candidates()) == [kept]
    for entry in (old, rejected):
        with pytest.raises(ValidationError):
            services.add_to_claim(claim=claim, entries=[entry], user=kov_a)


def test_an_expenditure_is_in_one_claim_at_most(participation, staff_line, kov_a, in_english):
    entry = expenditure(participation, staff_line, "10.00", kov_a)
    first, second = claim_of(participation, kov_a), claim_of(participation, kov_a)
    services.add_to_claim(claim=first, entries=[entry], user=kov_a)
    with pytest.raises(ValidationError, match="already in another payment claim"):
        services.add_to_claim(claim=second, entries=[entry], user=kov_a)
    # The database says so too, whatever the code above it does.
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLine.objects.create(claim=second, entry=entry)


def test_a_removed_expenditure_may_be_claimed_again(participation, staff_line, kov_a):
    entry = expenditure(participation, staff_line, "10.00", kov_a)
    first, second = claim_of(participation, kov_a), claim_of(participation, kov_a)
    [line] = services.add_to_claim(claim=first, entries=[entry], user=kov_a)
    services.remove_from_claim(line=line, user=kov_a)
    services.add_to_claim(claim=second, entries=[entry], user=kov_a)
    assert entry.claim_line.claim == second


def test_submitting_tells_the_ministry_and_freezes_the_claim(submitted, kov_a, ministry):
    assert submitted.status == ClaimStatus.SUBMITTED
    assert Notification.objects.filter(recipient=ministry, kind=Kind.CLAIM_SUBMITTED).exists()
    with pytest.raises(ValidationError):
        services.submit_claim(claim=submitted, user=kov_a)
    with pytest.raises(ValidationError):
        services.remove_from_claim(line=submitted.lines.first(), user=kov_a)


def test_an_empty_claim_is_not_submitted(participation, kov_a):
    with pytest.raises(ValidationError):
        services.submit_claim(claim=claim_of(participation, kov_a), user=kov_a)


def decide_lines(claim, ministry):
    big, mid, small = claim.lines.order_by("entry__amount").reverse()
    services.review_claim_line(
        line=big, decision="accepted", accepted_amount=None, reason="", user=ministry
    )
    services.review_claim_line(
        line=mid,
        decision="part",
        accepted_amount=Decimal("250.00"),
        reason="Osaliselt abikõlblik",
        user=ministry,
    )
    services.review_claim_line(
        line=small, decision="refused", accepted_amount=None, reason="Ei sobi", user=ministry
    )


def test_the_claim_is_decided_only_when_every_line_is(submitted, ministry):
    line = submitted.lines.first()
    services.review_claim_line(
        line=line, decision="accepted", accepted_amount=None, reason="", user=ministry
    )
    with pytest.raises(ValidationError):
        services.decide_claim(claim=submitted, user=ministry)


def test_reviewing_a_line_is_the_expenditures_review(submitted, ministry):
    decide_lines(submitted, ministry)
    decisions = {
        line.entry.amount: (line.decision, line.accepted)
        for line in submitted.lines.with_decision().select_related("entry")
    }
    assert decisions == {
        Decimal("1000.00"): (LineDecision.ACCEPTED, Decimal("1000.00")),
        Decimal("300.00"): (LineDecision.PART, Decimal("250.00")),
        Decimal("200.00"): (LineDecision.REFUSED, Decimal("0.00")),
    }
    part = ExpenditureReview.objects.get(entry__amount=Decimal("300.00"))
    assert (part.is_approved, part.accepted_amount) == (True, Decimal("250.00"))
    # The ledger counts the accepted part only; the refused line not at all.
    spent = {
        line.description: line.spent
        for line in line_totals(submitted.participation)
        if not line.is_unallocated
    }
    assert spent == {"Koordinaator": Decimal("1000.00"), "Koolitused": Decimal("250.00")}


def test_a_part_must_be_less_than_the_expenditure_and_a_refusal_has_a_reason(submitted, ministry):
    line = submitted.lines.get(entry__amount=Decimal("300.00"))
    for amount, reason in [
        (Decimal("300.00"), "Osa"),
        (Decimal("0.00"), "Osa"),
        (None, "Osa"),
        (Decimal("100.00"), " "),
    ]:
        with pytest.raises(ValidationError):
            services.review_claim_line(
                line=line, decision="part", accepted_amount=amount, reason=reason, user=ministry
            )
    with pytest.raises(ValidationError):
        services.review_claim_line(
            line=line, decision="refused", accepted_amount=None, reason="", user=ministry
        )
    assert not ExpenditureReview.objects.filter(entry=line.entry).exists()


def test_deciding_pays_the_accepted_total_once_and_tells_the_municipality(
    submitted, ministry, kov_a
):
    decide_lines(submitted, ministry)
    claim = services.decide_claim(claim=submitted, user=ministry)
    assert claim.status == ClaimStatus.DECIDED
    assert claim.disbursement.kind == LedgerEntry.Kind.DISBURSEMENT
    # Recomputed another way: the lines summed in Python.
    accepted = sum(
        (
            r.accepted_amount or r.entry.amount
            for r in ExpenditureReview.objects.filter(entry__claim_line__claim=claim)
            if r.is_approved
        ),
        Decimal("0"),
    )
    assert claim.disbursement.amount == accepted == Decimal("1250.00")
    notice = Notification.objects.get(recipient=kov_a, kind=Kind.CLAIM_DECIDED)
    assert notice.note == claim.decision_note != ""
    with pytest.raises(ValidationError):
        services.decide_claim(claim=claim, user=ministry)
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.DISBURSEMENT).count() == 1


def test_a_claim_wholly_refused_is_decided_without_a_payment(
    participation, staff_line, kov_a, ministry
):
    claim = claim_of(participation, kov_a)
    services.add_to_claim(
        claim=claim, entries=[expenditure(participation, staff_line, "5.00", kov_a)], user=kov_a
    )
    services.submit_claim(claim=claim, user=kov_a)
    services.review_claim_line(
        line=claim.lines.get(), decision="refused", accepted_amount=None, reason="Ei", user=ministry
    )
    claim = services.decide_claim(claim=claim, user=ministry)
    assert claim.status == ClaimStatus.DECIDED and claim.disbursement is None


def test_the_database_refuses_a_claim_paid_before_it_is_decided(submitted, ministry):
    entry = services.record_disbursement(
        participation=submitted.participation,
        amount=Decimal("1.00"),
        entry_on=submitted.period_end,
        tranche=None,
        user=ministry,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentClaim.objects.filter(pk=submitted.pk).update(disbursement=entry)


def test_claims_are_visible_to_whom_the_participation_is(submitted, kov_a, kov_b, ministry):
    assert list(PaymentClaim.objects.visible_to(kov_a)) == [submitted]
    assert list(PaymentClaim.objects.visible_to(ministry)) == [submitted]
    assert not PaymentClaim.objects.visible_to(kov_b).exists()


def test_a_drafts_period_keeps_its_expenditures_inside(
    participation, staff_line, kov_a, in_english
):
    entry = expenditure(participation, staff_line, "10.00", kov_a)
    claim = claim_of(participation, kov_a)
    services.add_to_claim(claim=claim, entries=[entry], user=kov_a)
    earlier = entry.entry_on - timedelta(days=1)
    with pytest.raises(ValidationError, match="falls outside that period"):
        services.update_claim(
            claim=claim,
            period_start=earlier - timedelta(days=30),
            period_end=earlier,
            forecast_amount=Decimal("1.00"),
            forecast_note="",
            user=kov_a,
        )
    services.update_claim(
        claim=claim,
        period_start=earlier,
        period_end=entry.entry_on,
        forecast_amount=Decimal("7.00"),
        forecast_note="Uus",
        user=kov_a,
    )
    claim.refresh_from_db()
    assert (claim.period_start, claim.forecast_amount) == (earlier, Decimal("7.00"))
