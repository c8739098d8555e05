"""The ledger's workflows. Every one locks the participation's row first, so that concurrent
requests check the rules one after another and the grant is never overspent."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts.models import User
from audit.models import Action
from audit.services import record, record_change
from grants import rules
from grants.models import (
    UNALLOCATED_MSGID,
    ZERO,
    BudgetChange,
    BudgetChangeLine,
    BudgetLine,
    BudgetYear,
    ClaimLine,
    ClaimStatus,
    ExpenditureReview,
    LedgerEntry,
    LineDecision,
    PaymentClaim,
    RefusedEntry,
    line_totals,
    with_ledger_totals,
    within_flexible_share,
    year_remaining,
    yearly_shares,
)
from notifications.models import Kind
from notifications.services import ministry_staff, municipality_people, notify
from programme.models import BudgetCategory, Participation
from turvaportaal.lib.money import format_money
from turvaportaal.lib.rules import require
from turvaportaal.lib.uploads import document_suffix, validate_document


@dataclass(frozen=True)
class PlannedLine:
    category: str
    description: str
    amount: Decimal
    # The amount per calendar year; by default split by the participation's days in each.
    by_year: dict[int, Decimal] | None = None


def ensure_budget(*, participation: Participation, lines: list[PlannedLine] | None = None) -> None:
    """Give the participation its budget lines once: the selected application's budget, and
    whatever it left unplanned as a reserve line, so the lines always add up to the grant.
    Participations taken in from before the portal start with the whole grant unallocated."""
    if participation.budget_lines.exists():
        return
    lines = lines or []
    planned = sum((line.amount for line in lines), ZERO)
    rows = [
        BudgetLine(
            participation=participation,
            category=line.category,
            description=line.description,
            amount=line.amount,
        )
        for line in lines
    ]
    if planned < participation.grant_amount:
        rows.append(
            BudgetLine(
                participation=participation,
                category=BudgetCategory.OTHER,
                is_unallocated=True,
                amount=participation.grant_amount - planned,
            )
        )
    if planned > participation.grant_amount:
        raise ValidationError(_("The budget lines add up to more than the grant."))
    BudgetLine.objects.bulk_create(rows)
    split = {line.description: line.by_year for line in lines if line.by_year}
    BudgetYear.objects.bulk_create(
        BudgetYear(line=row, year=year, amount=amount)
        for row in rows
        for year, amount in (
            split.get(row.description) or yearly_shares(row.amount, participation)
        ).items()
    )
    record_change(
        None,
        participation,
        gettext_noop("budget set"),
        after={"lines": [{"description": _audit_name(r), "amount": r.amount} for r in rows]},
    )


def _audit_name(line: BudgetLine) -> str:
    """A line as the audit log names it: the line not yet allocated by its message id, which
    the log translates when read."""
    return UNALLOCATED_MSGID if line.is_unallocated else line.description


class Refused(ValidationError):
    """A ledger entry the rules refuse; it is recorded for the ministry's overview."""


def _locked(participation: Participation) -> Participation:
    return Participation.objects.select_for_update().get(pk=participation.pk)


def _totals(participation: Participation) -> Any:
    [totals] = with_ledger_totals(Participation.objects.filter(pk=participation.pk))
    return totals


def _check_within(participation: Participation, entry_on: date) -> None:
    if not participation.start_on <= entry_on <= participation.end_on:
        raise Refused(
            _("The date must lie within the participation, %(start)s–%(end)s.")
            % {"start": participation.start_on, "end": participation.end_on}
        )


def _refuse(
    participation: Participation, kind: str, amount: Decimal, user: User, error: ValidationError
) -> None:
    # Recorded outside the refused transaction, so the attempt is kept.
    RefusedEntry.objects.create(
        participation=participation,
        kind=kind,
        amount=amount,
        reason=" ".join(error.messages),
        attempted_by=user,
    )


def _record_entry(entry: LedgerEntry, user: User) -> None:
    record_change(
        user,
        entry,
        gettext_noop("ledger entry added"),
        after={
            "kind": entry.kind,
            "amount": entry.amount,
            "entry_on": entry.entry_on,
            "budget_line": entry.budget_line_id,
            "description": entry.description,
            "supplier": entry.supplier,
            "invoice_number": entry.invoice_number,
            "tranche": entry.tranche,
            "reverses": entry.reverses_id,
        },
    )


def record_expenditure(
    *,
    participation: Participation,
    budget_line: BudgetLine,
    amount: Decimal,
    entry_on: date,
    description: str,
    supplier: str,
    invoice_number: str,
    document: UploadedFile | None,
    user: User,
) -> LedgerEntry:
    """Report money spent from a budget line. Spent (approved plus pending) may exceed neither
    the line's budget nor the grant."""
    try:
        with transaction.atomic():
            locked = _locked(participation)
            require(rules.may_record_expenditure(user, locked))
            if budget_line.participation_id != locked.pk:
                raise ValidationError(_("The budget line belongs to another participation."))
            _check_within(locked, entry_on)
            line: Any = next(line for line in line_totals(locked) if line.pk == budget_line.pk)
            if amount > line.remaining:
                raise Refused(
                    _("%(amount)s is more than the line's remaining %(remaining)s.")
                    % {"amount": format_money(amount), "remaining": format_money(line.remaining)}
                )
            left = year_remaining(locked, entry_on.year)[budget_line.pk]
            if amount > left:
                raise Refused(
                    _(
                        "%(amount)s is more than the line's remaining %(remaining)s in "
                        "%(year)s's budget; ask to move money to %(year)s first."
                    )
                    % {
                        "amount": format_money(amount),
                        "remaining": format_money(left),
                        "year": entry_on.year,
                    }
                )
            totals = _totals(locked)
            if totals.approved_spent + totals.pending_spent + amount > locked.grant_amount:
                raise Refused(
                    _("%(amount)s would take the spending over the grant of %(grant)s.")
                    % {"amount": format_money(amount), "grant": format_money(locked.grant_amount)}
                )
            if document is not None:
                validate_document(document)
            entry = LedgerEntry(
                participation=locked,
                kind=LedgerEntry.Kind.EXPENDITURE,
                amount=amount,
                entry_on=entry_on,
                budget_line=budget_line,
                description=description,
                supplier=supplier,
                invoice_number=invoice_number,
                document_name=(document.name or "") if document else "",
                created_by=user,
            )
            if document is not None:
                entry.document.save(f"document{document_suffix(document)}", document, save=False)
            entry.save()
            _record_entry(entry, user)
            if document is not None:
                record(user, Action.UPLOAD, obj=entry, detail=entry.document_name)
            return entry
    except Refused as error:
        _refuse(participation, LedgerEntry.Kind.EXPENDITURE, amount, user, error)
        raise


def record_disbursement(
    *,
    participation: Participation,
    amount: Decimal,
    entry_on: date,
    tranche: int | None,
    user: User,
) -> LedgerEntry:
    """Money the ministry transferred; disbursed may not exceed the grant."""
    try:
        with transaction.atomic():
            locked = _locked(participation)
            require(rules.may_record_disbursement(user, locked, amount))
            _check_within(locked, entry_on)
            if _totals(locked).disbursed + amount > locked.grant_amount:
                raise Refused(
                    _("%(amount)s would take the disbursements over the %(grant)s grant.")
                    % {"amount": format_money(amount), "grant": format_money(locked.grant_amount)}
                )
            entry = LedgerEntry.objects.create(
                participation=locked,
                kind=LedgerEntry.Kind.DISBURSEMENT,
                amount=amount,
                entry_on=entry_on,
                tranche=tranche,
                created_by=user,
            )
            _record_entry(entry, user)
            return entry
    except Refused as error:
        _refuse(participation, LedgerEntry.Kind.DISBURSEMENT, amount, user, error)
        raise


@transaction.atomic
def reverse_entry(*, entry: LedgerEntry, reason: str, user: User) -> LedgerEntry:
    """Undo an entry with a reversal that points at it; its description is the reason."""
    locked = _locked(entry.participation)
    entry = LedgerEntry.objects.with_state().select_related("participation").get(pk=entry.pk)
    require(rules.may_reverse(user, entry))
    if not reason.strip():
        raise ValidationError(_("Say why the entry is reversed."))
    reversal = LedgerEntry.objects.create(
        participation=locked,
        kind=LedgerEntry.Kind.REVERSAL,
        amount=entry.amount,
        entry_on=timezone.localdate(),
        budget_line=entry.budget_line,
        description=reason,
        reverses=entry,
        created_by=user,
    )
    _record_entry(reversal, user)
    if user.has_programme_wide_access:
        # The municipality reverses only its own entries still waiting for review; one the
        # ministry reverses changes the municipality's money without it.
        notify(
            Kind.ENTRY_REVERSED,
            recipients=municipality_people(locked.municipality),
            about=entry,
            link=reverse("ledger", args=[locked.pk]),
            actor=user,
            note=reason,
        )
    return reversal


@transaction.atomic
def review_expenditure(
    *, entry: LedgerEntry, approve: bool, reason: str, user: User
) -> ExpenditureReview:
    """The ministry decides whether an expenditure is eligible; a rejected one does not count."""
    _locked(entry.participation)
    entry = LedgerEntry.objects.with_state().get(pk=entry.pk)
    require(rules.may_review(user, entry))
    if not approve and not reason.strip():
        raise ValidationError(_("Give the reason for the rejection."))
    review = ExpenditureReview.objects.create(
        entry=entry, is_approved=approve, reason=reason, decided_by=user
    )
    record_change(
        user,
        entry,
        gettext_noop("expenditure reviewed"),
        before={"review": None},
        after={"review": "approved" if approve else "rejected", "reason": reason},
    )
    notify(
        Kind.EXPENDITURE_ACCEPTED if approve else Kind.EXPENDITURE_REFUSED,
        recipients=municipality_people(entry.participation.municipality),
        about=entry,
        link=reverse("ledger", args=[entry.participation_id]),
        actor=user,
        note=reason,
    )
    return review


def _apply_moves(
    participation: Participation, moves: dict[tuple[int, int], Decimal]
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Move the money: each (line, year)'s amount and its line's total. What each (line, year)
    had before and has after, for the audit log."""
    lines = {line.pk: line for line in participation.budget_lines.all()}
    amounts = BudgetYear.objects.filter(line__participation=participation).amounts()
    before, after, rows = {}, {}, []
    for (pk, year), delta in moves.items():
        had = amounts.get((pk, year), ZERO)
        rows.append(BudgetYear(line_id=pk, year=year, amount=had + delta))
        lines[pk].amount += delta
        name = f"{_audit_name(lines[pk])} {year}"
        before[name], after[name] = had, had + delta
    BudgetYear.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["line", "year"], update_fields=["amount"]
    )
    BudgetLine.objects.bulk_update([lines[pk] for pk in {pk for pk, _year in moves}], ["amount"])
    return before, after


def _check_moves(participation: Participation, moves: dict[tuple[int, int], Decimal]) -> None:
    """No (line, year) may end with less than is already spent from it in that year."""
    names = {line.pk: line.name for line in participation.budget_lines.all()}
    for year in {year for _pk, year in moves}:
        left = year_remaining(participation, year)
        for (pk, moved_year), delta in moves.items():
            if moved_year == year and left.get(pk, ZERO) + delta < 0:
                raise ValidationError(
                    _("“%(line)s” would have less in %(year)s than is already spent then.")
                    % {"line": names[pk], "year": year}
                )


@transaction.atomic
def request_budget_change(
    *,
    participation: Participation,
    deltas: dict[tuple[int, int], Decimal],
    reason: str,
    user: User,
) -> BudgetChange:
    """Move money between the lines and years; the moves must add up to zero. Moves within one
    year and the agreement's flexible share are recorded at once; the rest wait for the
    ministry's decision."""
    locked = _locked(participation)
    require(rules.may_request_change(user, locked))
    moves = {key: delta for key, delta in deltas.items() if delta}
    if not moves:
        raise ValidationError(_("Move some money between the lines."))
    if sum(moves.values(), ZERO) != ZERO:
        raise ValidationError(_("The moves must add up to zero: the grant stays the same."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the change."))
    own = set(locked.budget_lines.values_list("pk", flat=True))
    if not {pk for pk, _year in moves} <= own:
        raise ValidationError(_("A budget line belongs to another participation."))
    if not {year for _pk, year in moves} <= set(locked.calendar_years):
        raise ValidationError(_("The participation has no such year."))
    _check_moves(locked, moves)
    flexible = within_flexible_share(locked, moves)
    change = BudgetChange.objects.create(
        participation=locked, reason=reason, requested_by=user, within_flexible_share=flexible
    )
    BudgetChangeLine.objects.bulk_create(
        BudgetChangeLine(change=change, budget_line_id=pk, year=year, delta=delta)
        for (pk, year), delta in moves.items()
    )
    names = {line.pk: _audit_name(line) for line in locked.budget_lines.all()}
    moved = {f"{names[pk]} {year}": delta for (pk, year), delta in moves.items()}
    if flexible:
        change.status = BudgetChange.Status.APPROVED
        change.decided_at = timezone.now()
        change.save(update_fields=["status", "decided_at"])
        before, after = _apply_moves(locked, moves)
        record_change(
            user,
            change,
            gettext_noop("budget moved within the flexible share"),
            before={"lines": before},
            after={"status": change.status, "reason": reason, "moves": moved, "lines": after},
        )
        return change
    record_change(
        user,
        change,
        gettext_noop("budget change requested"),
        after={"status": change.status, "reason": reason, "moves": moved},
    )
    notify(
        Kind.BUDGET_CHANGE_REQUESTED,
        recipients=ministry_staff(),
        about=change,
        link=reverse("ledger", args=[locked.pk]),
        actor=user,
        note=reason,
    )
    return change


@transaction.atomic
def decide_budget_change(*, change: BudgetChange, approve: bool, reason: str, user: User) -> None:
    """Approve (the money moves) or refuse a requested budget change, with a reason."""
    locked = _locked(change.participation)
    change = BudgetChange.objects.select_for_update().get(pk=change.pk)
    require(rules.may_decide_change(user, change))
    if not approve and not reason.strip():
        raise ValidationError(_("Give the reason for the refusal."))
    before: dict[str, Any] = {"status": BudgetChange.Status.PENDING}
    after: dict[str, Any] = {}
    if approve:
        moves = {(move.budget_line_id, move.year): move.delta for move in change.lines.all()}
        _check_moves(locked, moves)
        before["lines"], after["lines"] = _apply_moves(locked, moves)
    change.status = BudgetChange.Status.APPROVED if approve else BudgetChange.Status.REFUSED
    change.decided_by = user
    change.decided_at = timezone.now()
    change.decision_reason = reason
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record_change(
        user,
        change,
        gettext_noop("budget change decided"),
        before=before,
        after={"status": change.status, "reason": reason, **after},
    )
    notify(
        Kind.BUDGET_CHANGE_DECIDED,
        recipients=municipality_people(locked.municipality),
        about=change,
        link=reverse("ledger", args=[locked.pk]),
        actor=user,
        note=reason,
    )


# Payment claims (maksetaotlus). Each workflow locks the participation's row first, like the
# ledger's: two requests on the same participation's claims check the rules one after another.


def _check_period(participation: Participation, start: date, end: date) -> None:
    if start > end:
        raise ValidationError(_("The period must start on or before the day it ends."))
    if start < participation.start_on or end > participation.end_on:
        raise ValidationError(
            _("The period must lie within the participation, %(start)s–%(end)s.")
            % {"start": participation.start_on, "end": participation.end_on}
        )


def _claim_audit(claim: PaymentClaim) -> dict[str, Any]:
    return {
        "status": claim.status,
        "period_start": claim.period_start,
        "period_end": claim.period_end,
        "forecast_amount": claim.forecast_amount,
        "forecast_note": claim.forecast_note,
    }


@transaction.atomic
def create_claim(
    *,
    participation: Participation,
    period_start: date,
    period_end: date,
    forecast_amount: Decimal,
    forecast_note: str,
    user: User,
) -> PaymentClaim:
    """Start a draft claim for the expenditures of a period."""
    locked = _locked(participation)
    require(rules.may_create_claim(user, locked))
    _check_period(locked, period_start, period_end)
    claim = PaymentClaim.objects.create(
        participation=locked,
        period_start=period_start,
        period_end=period_end,
        forecast_amount=forecast_amount,
        forecast_note=forecast_note,
        created_by=user,
    )
    record_change(user, claim, gettext_noop("payment claim started"), after=_claim_audit(claim))
    return claim


def _locked_claim(claim: PaymentClaim) -> PaymentClaim:
    """The claim, read again after locking its participation's row and then its own."""
    # Only the lock is wanted here: the disbursement of a decision reads the row itself.
    Participation.objects.select_for_update().filter(pk=claim.participation_id).values_list(
        "pk", flat=True
    ).get()
    return PaymentClaim.objects.select_for_update().select_related("participation").get(pk=claim.pk)


@transaction.atomic
def update_claim(
    *,
    claim: PaymentClaim,
    period_start: date,
    period_end: date,
    forecast_amount: Decimal,
    forecast_note: str,
    user: User,
) -> PaymentClaim:
    """Change a draft claim's period or forecast; its expenditures must stay in the period."""
    claim = _locked_claim(claim)
    require(rules.may_edit_claim(user, claim))
    _check_period(claim.participation, period_start, period_end)
    outside = claim.lines.exclude(
        entry__entry_on__gte=period_start, entry__entry_on__lte=period_end
    ).count()
    if outside:
        raise ValidationError(
            ngettext(
                "%(count)s expenditure of the claim falls outside that period; remove it first.",
                "%(count)s expenditures of the claim fall outside that period; remove them first.",
                outside,
            )
            % {"count": outside}
        )
    before = _claim_audit(claim)
    claim.period_start, claim.period_end = period_start, period_end
    claim.forecast_amount, claim.forecast_note = forecast_amount, forecast_note
    claim.save(update_fields=["period_start", "period_end", "forecast_amount", "forecast_note"])
    record_change(
        user, claim, gettext_noop("payment claim changed"), before=before, after=_claim_audit(claim)
    )
    return claim


def _entry_label(entry: LedgerEntry) -> str:
    return _("%(date)s %(supplier)s %(amount)s") % {
        "date": entry.entry_on.strftime("%d.%m.%Y"),
        "supplier": entry.supplier or entry.description,
        "amount": format_money(entry.amount),
    }


@transaction.atomic
def add_to_claim(*, claim: PaymentClaim, entries: list[LedgerEntry], user: User) -> list[ClaimLine]:
    """Put expenditures of the claim's period, each with its supporting document, in the draft
    claim. An expenditure is in one claim at most: one already taken is refused by name."""
    claim = _locked_claim(claim)
    require(rules.may_edit_claim(user, claim))
    if not entries:
        raise ValidationError(_("Choose the expenditures to add to the claim."))
    candidates = {e.pk: e for e in claim.candidates().filter(pk__in=[e.pk for e in entries])}
    taken = dict(
        ClaimLine.objects.filter(entry__in=[e.pk for e in entries]).values_list(
            "entry_id", "claim_id"
        )
    )
    lines = []
    for entry in entries:
        if taken.get(entry.pk) == claim.pk:
            continue
        if entry.pk in taken:
            raise ValidationError(
                _("The expenditure %(entry)s is already in another payment claim.")
                % {"entry": _entry_label(entry)}
            )
        found = candidates.get(entry.pk)
        if found is None:
            raise ValidationError(
                _(
                    "The expenditure %(entry)s cannot be claimed: it is not an expenditure of the "
                    "claim's period that still counts."
                )
                % {"entry": _entry_label(entry)}
            )
        require(rules.may_add_to_claim(user, claim, found))
        lines.append(ClaimLine(claim=claim, entry=found))
    try:
        with transaction.atomic():
            ClaimLine.objects.bulk_create(lines)
    except IntegrityError as error:
        # The participation's lock makes this rare: another claim took an expenditure first.
        raise ValidationError(
            _("One of the expenditures was just put in another payment claim; look again.")
        ) from error
    if lines:
        record_change(
            user,
            claim,
            gettext_noop("expenditures added to the payment claim"),
            after={"entries": [line.entry_id for line in lines]},
        )
    return lines


@transaction.atomic
def remove_from_claim(*, line: ClaimLine, user: User) -> None:
    """Take an expenditure out of a draft claim; it may be claimed again."""
    claim = _locked_claim(line.claim)
    require(rules.may_edit_claim(user, claim))
    entry_id = line.entry_id
    ClaimLine.objects.filter(pk=line.pk, claim=claim).delete()
    record_change(
        user,
        claim,
        gettext_noop("expenditure removed from the payment claim"),
        before={"entries": [entry_id]},
    )


@transaction.atomic
def submit_claim(*, claim: PaymentClaim, user: User) -> PaymentClaim:
    """Send the draft claim to the ministry; ministry staff are told."""
    claim = _locked_claim(claim)
    require(rules.may_submit_claim(user, claim))
    before = _claim_audit(claim)
    claim.status = ClaimStatus.SUBMITTED
    claim.submitted_by = user
    claim.submitted_at = timezone.now()
    claim.save(update_fields=["status", "submitted_by", "submitted_at"])
    totals = claim.lines.totals()  # type: ignore[attr-defined]
    record_change(
        user,
        claim,
        gettext_noop("payment claim submitted"),
        before=before,
        after={**_claim_audit(claim), "claimed": totals["claimed"]},
    )
    notify(
        Kind.CLAIM_SUBMITTED,
        recipients=ministry_staff(),
        about=claim,
        link=reverse("claim", args=[claim.participation_id, claim.pk]),
        actor=user,
    )
    return claim


@transaction.atomic
def review_claim_line(
    *, line: ClaimLine, decision: str, accepted_amount: Decimal | None, reason: str, user: User
) -> ExpenditureReview:
    """The ministry decides one line: accept, accept in part (an amount less than the
    expenditure's, with a reason) or refuse (with a reason). The decision is the expenditure's
    own review: the ledger shows it, and a part accepted counts as spent only in that part."""
    claim = _locked_claim(line.claim)
    line = (
        ClaimLine.objects.with_decision()
        .select_related("claim__participation", "entry")
        .get(pk=line.pk)
    )
    line.claim = claim
    require(rules.may_review_claim_line(user, line))
    entry = line.entry
    if decision not in (LineDecision.ACCEPTED, LineDecision.PART, LineDecision.REFUSED):
        raise ValidationError(
            _("Choose whether the line is accepted, accepted in part or refused.")
        )
    if decision != LineDecision.ACCEPTED and not reason.strip():
        raise ValidationError(_("Give the reason for the decision."))
    if decision == LineDecision.PART:
        if accepted_amount is None or not ZERO < accepted_amount < entry.amount:
            raise ValidationError(
                _("The accepted part must be more than zero and less than %(amount)s.")
                % {"amount": format_money(entry.amount)}
            )
    else:
        accepted_amount = None
    review = ExpenditureReview.objects.create(
        entry=entry,
        is_approved=decision != LineDecision.REFUSED,
        accepted_amount=accepted_amount,
        reason=reason,
        decided_by=user,
    )
    record_change(
        user,
        entry,
        gettext_noop("expenditure reviewed"),
        before={"review": None},
        after={
            "review": decision,
            "accepted_amount": accepted_amount,
            "reason": reason,
            "claim": claim.pk,
        },
    )
    return review


def claim_summary(claim: PaymentClaim) -> str:
    """The decision in a sentence: what was accepted of what was claimed, line by line."""
    totals = claim.lines.totals()  # type: ignore[attr-defined]
    counts = dict.fromkeys(LineDecision.values, 0)
    decisions = claim.lines.with_decision().values_list("decision", flat=True)  # type: ignore[attr-defined,misc]
    for decision in decisions:
        counts[decision] += 1
    return _(
        "Accepted %(accepted)s of %(claimed)s claimed: %(whole)s lines accepted, %(part)s "
        "accepted in part, %(refused)s refused."
    ) % {
        "accepted": format_money(totals["accepted"]),
        "claimed": format_money(totals["claimed"]),
        "whole": counts[LineDecision.ACCEPTED],
        "part": counts[LineDecision.PART],
        "refused": counts[LineDecision.REFUSED] + counts[LineDecision.REVERSED],
    }


@transaction.atomic
def decide_claim(*, claim: PaymentClaim, user: User) -> PaymentClaim:
    """Decide a claim whose every line is decided: the accepted total is paid as one
    disbursement (the ledger's own, audit included); the municipality's people are told."""
    claim = _locked_claim(claim)
    require(rules.may_decide_claim(user, claim))
    accepted = claim.lines.totals()["accepted"]  # type: ignore[attr-defined]
    disbursement = None
    if accepted > ZERO:
        disbursement = record_disbursement(
            participation=claim.participation,
            amount=accepted,
            entry_on=timezone.localdate(),
            tranche=None,
            user=user,
        )
    summary = claim_summary(claim)
    # Decided once: the update finds the claim only while it waits for the decision.
    updated = PaymentClaim.objects.filter(pk=claim.pk, status=ClaimStatus.SUBMITTED).update(
        status=ClaimStatus.DECIDED,
        decided_by=user,
        decided_at=timezone.now(),
        decision_note=summary,
        disbursement=disbursement,
    )
    if updated != 1:
        raise ValidationError(_("This claim is already decided."))
    claim.refresh_from_db()
    record_change(
        user,
        claim,
        gettext_noop("payment claim decided"),
        before={"status": ClaimStatus.SUBMITTED},
        after={
            "status": claim.status,
            "accepted": accepted,
            "disbursement": claim.disbursement_id,
        },
    )
    notify(
        Kind.CLAIM_DECIDED,
        recipients=municipality_people(claim.participation.municipality),
        about=claim,
        link=reverse("claim", args=[claim.participation_id, claim.pk]),
        actor=user,
        note=summary,
    )
    return claim
