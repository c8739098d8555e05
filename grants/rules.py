"""Who may handle the grant's money, and when (the README's money authority table).

- A municipality records its expenditures, asks for budget changes, and may reverse its own
  expenditure while it still waits for the ministry's review.
- The ministry (staff and administrators) records disbursements, reviews expenditures, decides
  budget changes, and reverses disbursements and reviewed expenditures, with a reason.
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from grants.models import (
    BudgetChange,
    ClaimLine,
    ClaimStatus,
    EntryState,
    LedgerEntry,
    LineDecision,
    PaymentClaim,
)
from programme.models import Participation
from programme.rules import unless_closed
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


def _own(user: User, participation: Participation) -> bool:
    return (
        user.municipality_id is not None and user.municipality_id == participation.municipality_id
    )


def _ministry(user: User) -> bool:
    return user.has_programme_wide_access


def _open(participation: Participation) -> Verdict:
    closed = unless_closed(participation)
    if not closed:
        return closed
    if timezone.localdate() > participation.end_on:
        return not_now(_("The participation has ended; its ledger takes no more entries."))
    return ALLOWED


@rule("grants.record_expenditure")
def may_record_expenditure(user: User, participation: Participation) -> Verdict:
    if not _own(user, participation):
        return forbidden(_("Only the municipality's own people report its expenditures."))
    return _open(participation)


@rule("grants.request_change")
def may_request_change(user: User, participation: Participation) -> Verdict:
    if not _own(user, participation):
        return forbidden(_("Only the municipality's own people ask to change its budget."))
    return _open(participation)


@rule("grants.record_disbursement")
def may_record_disbursement(
    user: User, participation: Participation, amount: Decimal | None = None
) -> Verdict:
    """With the amount: one that brings the disbursed total to the grant is the last payment,
    made only after the final report is approved (closing; named by its relation)."""
    if not _ministry(user):
        return forbidden(_("Only the ministry records disbursements."))
    verdict = _open(participation)
    if verdict and amount is not None:
        disbursed = LedgerEntry.objects.filter(participation=participation).totals()["disbursed"]
        approved = Participation.objects.filter(
            pk=participation.pk, final_report__status="approved"
        ).exists()
        if disbursed + amount == participation.grant_amount and not approved:
            return not_now(
                _("This is the last payment: it is made after the final report is approved.")
            )
    return verdict


@rule("grants.review")
def may_review(user: User, entry: LedgerEntry) -> Verdict:
    if not _ministry(user):
        return forbidden(_("Only the ministry reviews expenditures."))
    if entry.kind != LedgerEntry.Kind.EXPENDITURE:
        return forbidden(_("Only expenditures are reviewed."))
    if entry.participation.is_closed:
        return unless_closed(entry.participation)
    if entry.state == EntryState.REVERSED:
        return not_now(_("This expenditure is reversed; there is nothing to review."))
    if entry.state != EntryState.PENDING:
        return not_now(_("This expenditure is already reviewed."))
    return ALLOWED


@rule("grants.reverse")
def may_reverse(user: User, entry: LedgerEntry) -> Verdict:
    if entry.kind == LedgerEntry.Kind.REVERSAL:
        return forbidden(_("A reversal cannot be reversed."))
    if _ministry(user):
        if entry.state == EntryState.PENDING:
            return not_now(_("An expenditure waiting for review is approved or rejected."))
    elif _own(user, entry.participation):
        if entry.kind == LedgerEntry.Kind.DISBURSEMENT:
            return forbidden(_("Only the ministry reverses a disbursement."))
        if entry.state in (EntryState.APPROVED, EntryState.REJECTED):
            return forbidden(
                _("The ministry has reviewed this expenditure; only the ministry reverses it.")
            )
    else:
        return forbidden(_("Only the municipality and the ministry reverse its entries."))
    if entry.participation.is_closed:
        return unless_closed(entry.participation)
    if entry.state == EntryState.REVERSED:
        return not_now(_("This entry is already reversed."))
    if entry.kind == LedgerEntry.Kind.DISBURSEMENT and hasattr(entry, "paid_claim"):
        # The claim's decision and its payment are one: undone alone, the claim would stay
        # decided and paid.
        return not_now(
            _("This disbursement pays a payment claim, decided with it; it is not reversed alone.")
        )
    if entry.state == EntryState.REJECTED:
        return not_now(_("A rejected expenditure does not count; there is nothing to reverse."))
    return ALLOWED


@rule("grants.decide_change")
def may_decide_change(user: User, change: BudgetChange) -> Verdict:
    if not _ministry(user):
        return forbidden(_("Only the ministry decides budget changes."))
    if change.participation.is_closed:
        return unless_closed(change.participation)
    if change.status != BudgetChange.Status.PENDING:
        return not_now(_("This change is already decided."))
    return ALLOWED


@rule("grants.export")
def may_export(user: User) -> Verdict:
    if not _ministry(user):
        return forbidden(_("The programme's ledgers are exported by the ministry."))
    return ALLOWED


# Payment claims (maksetaotlus): the municipality collects and submits, the ministry decides
# line by line and then the claim; the accepted total is paid as a disbursement.


@rule("grants.create_claim")
def may_create_claim(user: User, participation: Participation) -> Verdict:
    if not _own(user, participation):
        return forbidden(_("Only the municipality's own people make its payment claims."))
    return _open(participation)


@rule("grants.edit_claim")
def may_edit_claim(user: User, claim: PaymentClaim) -> Verdict:
    if not _own(user, claim.participation):
        return forbidden(_("Only the municipality's own people edit its payment claims."))
    if claim.status != ClaimStatus.DRAFT:
        return not_now(_("The claim is submitted; it is no longer edited."))
    return ALLOWED


@rule("grants.add_to_claim")
def may_add_to_claim(user: User, claim: PaymentClaim, entry: LedgerEntry) -> Verdict:
    editing = may_edit_claim(user, claim)
    if not editing:
        return editing
    if not entry.document:
        return not_now(
            _(
                "This expenditure has no supporting document, and a claim needs one for each "
                "expenditure. Reverse it and record it again with its document."
            )
        )
    return ALLOWED


@rule("grants.submit_claim")
def may_submit_claim(user: User, claim: PaymentClaim) -> Verdict:
    editing = may_edit_claim(user, claim)
    if not editing:
        return editing
    if not claim.lines.exists():
        return not_now(_("Add at least one expenditure to the claim before submitting it."))
    return ALLOWED


@rule("grants.review_claim_line")
def may_review_claim_line(user: User, line: ClaimLine) -> Verdict:
    if not _ministry(user):
        return forbidden(_("Only the ministry reviews payment claims."))
    if line.claim.status != ClaimStatus.SUBMITTED:
        return not_now(_("Only a submitted claim waiting for a decision is reviewed."))
    # ClaimLineQuerySet.with_decision's answer; a line fetched with it has it already.
    decision = getattr(line, "decision", None)
    if decision is None:
        decision = ClaimLine.objects.with_decision().get(pk=line.pk).decision  # type: ignore[attr-defined]
    if decision == LineDecision.REVERSED:
        return not_now(_("This expenditure is reversed; there is nothing to review."))
    if decision != LineDecision.UNDECIDED:
        return not_now(_("This line is already decided."))
    return ALLOWED


@rule("grants.decide_claim")
def may_decide_claim(user: User, claim: PaymentClaim) -> Verdict:
    if not _ministry(user):
        return forbidden(_("Only the ministry decides payment claims."))
    if claim.status == ClaimStatus.DECIDED:
        return not_now(_("This claim is already decided."))
    if claim.status != ClaimStatus.SUBMITTED:
        return not_now(_("The municipality has not yet submitted this claim."))
    if claim.lines.undecided().exists():  # type: ignore[attr-defined]
        return not_now(_("Decide every line of the claim first."))
    return ALLOWED
