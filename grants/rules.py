"""Who may handle the grant's money, and when (the README's money authority table).

- A municipality records its expenditures, asks for budget changes, and may reverse its own
  expenditure while it still waits for the ministry's review.
- The ministry (staff and administrators) records disbursements, reviews expenditures, decides
  budget changes, and reverses disbursements and reviewed expenditures, with a reason.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from grants.models import BudgetChange, EntryState, LedgerEntry
from programme.models import Participation
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


def _own(user: User, participation: Participation) -> bool:
    return (
        user.municipality_id is not None and user.municipality_id == participation.municipality_id
    )


def _ministry(user: User) -> bool:
    return user.has_programme_wide_access


def _open(participation: Participation) -> Verdict:
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
def may_record_disbursement(user: User, participation: Participation) -> Verdict:
    if not _ministry(user):
        return forbidden(_("Only the ministry records disbursements."))
    return _open(participation)


@rule("grants.review")
def may_review(user: User, entry: LedgerEntry) -> Verdict:
    if not _ministry(user):
        return forbidden(_("Only the ministry reviews expenditures."))
    if entry.kind != LedgerEntry.Kind.EXPENDITURE:
        return forbidden(_("Only expenditures are reviewed."))
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
    if entry.state == EntryState.REVERSED:
        return not_now(_("This entry is already reversed."))
    if entry.state == EntryState.REJECTED:
        return not_now(_("A rejected expenditure does not count; there is nothing to reverse."))
    return ALLOWED


@rule("grants.decide_change")
def may_decide_change(user: User, change: BudgetChange) -> Verdict:
    if not _ministry(user):
        return forbidden(_("Only the ministry decides budget changes."))
    if change.status != BudgetChange.Status.PENDING:
        return not_now(_("This change is already decided."))
    return ALLOWED


@rule("grants.export")
def may_export(user: User) -> Verdict:
    if not _ministry(user):
        return forbidden(_("The programme's ledgers are exported by the ministry."))
    return ALLOWED
