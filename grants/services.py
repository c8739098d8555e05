"""The ledger's workflows. Every one locks the participation's row first, so that concurrent
requests check the rules one after another and the grant is never overspent."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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
    ExpenditureReview,
    LedgerEntry,
    RefusedEntry,
    line_totals,
    with_ledger_totals,
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
            require(rules.may_record_disbursement(user, locked))
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


@transaction.atomic
def request_budget_change(
    *, participation: Participation, deltas: dict[int, Decimal], reason: str, user: User
) -> BudgetChange:
    """Ask to move money between the lines; the moves must add up to zero."""
    locked = _locked(participation)
    require(rules.may_request_change(user, locked))
    moves = {pk: delta for pk, delta in deltas.items() if delta}
    if not moves:
        raise ValidationError(_("Move some money between the lines."))
    if sum(moves.values(), ZERO) != ZERO:
        raise ValidationError(_("The moves must add up to zero: the grant stays the same."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the change."))
    lines: dict[int, Any] = {line.pk: line for line in line_totals(locked) if line.pk in moves}
    if set(lines) != set(moves):
        raise ValidationError(_("A budget line belongs to another participation."))
    for pk, delta in moves.items():
        if lines[pk].remaining + delta < 0:
            raise ValidationError(
                _("“%(line)s” would have less than is already spent.") % {"line": lines[pk].name}
            )
    change = BudgetChange.objects.create(participation=locked, reason=reason, requested_by=user)
    BudgetChangeLine.objects.bulk_create(
        BudgetChangeLine(change=change, budget_line=lines[pk], delta=delta)
        for pk, delta in moves.items()
    )
    record_change(
        user,
        change,
        gettext_noop("budget change requested"),
        after={
            "status": change.status,
            "reason": reason,
            "moves": {_audit_name(lines[pk]): delta for pk, delta in moves.items()},
        },
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
    before: dict[str, Any] = {"status": change.status}
    after: dict[str, Any] = {}
    if approve:
        lines: dict[int, Any] = {line.pk: line for line in line_totals(locked)}
        before["lines"], after["lines"] = {}, {}
        for move in change.lines.all():
            line = lines[move.budget_line_id]
            if line.remaining + move.delta < 0:
                raise ValidationError(
                    _("“%(line)s” would have less than is already spent.") % {"line": line.name}
                )
            BudgetLine.objects.filter(pk=line.pk).update(amount=line.amount + move.delta)
            before["lines"][_audit_name(line)] = line.amount
            after["lines"][_audit_name(line)] = line.amount + move.delta
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
