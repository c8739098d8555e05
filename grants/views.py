from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest, programme_staff_required
from audit.services import record_file
from grants import services
from grants.filters import EntryFilter
from grants.forms import BudgetChangeForm, DisbursementForm, ExpenditureForm, ReasonForm
from grants.models import (
    ZERO,
    BudgetChange,
    LedgerEntry,
    ledger_overview,
    ledger_total,
    line_totals,
    with_ledger_totals,
)
from programme.models import Participation
from turvaportaal.lib.exports import (
    csv_response,
    xlsx_response,
    xlsx_workbook_response,
)
from turvaportaal.lib.paging import page_of
from turvaportaal.lib.uploads import attachment


def _get_participation(user: Any, pk: int) -> Participation:
    """The participation if this user may see its ledger; otherwise 404."""
    return get_object_or_404(
        Participation.objects.visible_to(user).select_related("municipality__county", "cohort"),
        pk=pk,
    )


def _is_own(user: Any, participation: Participation) -> bool:
    return participation.municipality_id == user.municipality_id


def _spending_chart(participation: Participation, entries: list[LedgerEntry]) -> dict[str, Any]:
    """Spending accumulated over time against an even plan over the period, as SVG points."""
    width, height, left, bottom = 560, 200, 56, 24
    start, end = participation.start_on, participation.end_on
    days = max((end - start).days, 1)
    grant = participation.grant_amount or Decimal("1")

    def point(on: date, amount: Decimal) -> str:
        x = left + (on - start).days / days * (width - left - 8)
        y = (height - bottom) - float(amount / grant) * (height - bottom - 8)
        return f"{x:.1f},{y:.1f}"

    total = ZERO
    spent = [point(start, ZERO)]
    for entry in sorted(entries, key=lambda e: (e.entry_on, e.pk)):
        total += entry.amount if entry.kind == LedgerEntry.Kind.EXPENDITURE else -entry.amount
        spent.append(point(entry.entry_on, total))
    spent.append(point(min(timezone.localdate(), end), total))
    return {
        "width": width,
        "height": height,
        "plan": f"{point(start, ZERO)} {point(end, grant)}",
        "spent": " ".join(spent),
        "grant_y": point(start, grant).split(",")[1],
        "zero_y": point(start, ZERO).split(",")[1],
    }


def ledger(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    services.ensure_budget(participation=participation)
    lines = list(line_totals(participation))
    entries = participation.ledger_entries.select_related(
        "budget_line", "review", "reversed_by", "created_by"
    )
    entry_filter = EntryFilter(request.GET, queryset=entries)
    entry_filter.form.fields["budget_line"].queryset = participation.budget_lines.all()  # type: ignore[attr-defined]
    counting = [
        e
        for e in entries
        if e.kind == LedgerEntry.Kind.EXPENDITURE
        and not hasattr(e, "reversed_by")
        and getattr(getattr(e, "review", None), "is_approved", True)
    ]
    [totals] = with_ledger_totals(Participation.objects.filter(pk=participation.pk))
    own = _is_own(request.user, participation)
    staff = request.user.has_programme_wide_access
    return render(
        request,
        "grants/ledger.html",
        {
            "participation": participation,
            "lines": lines,
            "totals": totals,
            "spent": sum((line.spent for line in lines), ZERO),
            "budget": sum((line.amount for line in lines), ZERO),
            "filter": entry_filter,
            "chart": _spending_chart(participation, counting),
            "expenditure_form": ExpenditureForm(participation=participation) if own else None,
            "disbursement_form": DisbursementForm() if staff else None,
            "change_form": BudgetChangeForm(lines=lines) if own else None,
            "changes": participation.budget_changes.prefetch_related("lines__budget_line"),
            "is_own": own,
            "is_staff": staff,
        },
    )


def _refusal(request: AuthenticatedRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
def add_expenditure(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    if not _is_own(request.user, participation):
        raise PermissionDenied
    form = ExpenditureForm(request.POST, request.FILES, participation=participation)
    return _submit(
        request,
        participation,
        form,
        lambda: services.record_expenditure(
            participation=participation, user=request.user, **form.cleaned_data
        ),
        _("The expenditure was recorded and waits for the ministry."),
    )


def _submit(
    request: AuthenticatedRequest,
    participation: Participation,
    form: Any,
    record: Callable[[], object],
    success: str,
) -> HttpResponse:
    """Run a valid form's workflow; say what was refused, field by field or by the rules."""
    if not form.is_valid():
        messages.error(request, _("Nothing was saved:"))
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    else:
        try:
            record()
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, success)
    return redirect("ledger", participation.pk)


@require_POST
@programme_staff_required
def add_disbursement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    form = DisbursementForm(request.POST)
    return _submit(
        request,
        participation,
        form,
        lambda: services.record_disbursement(
            participation=participation, user=request.user, **form.cleaned_data
        ),
        _("The disbursement was recorded."),
    )


@require_POST
def reverse(request: AuthenticatedRequest, pk: int, entry_pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    if not (_is_own(request.user, participation) or request.user.has_programme_wide_access):
        raise PermissionDenied
    entry = get_object_or_404(LedgerEntry.objects.visible_to(request.user), pk=entry_pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.reverse_entry(
            participation=participation,
            entry=entry,
            reason=form.cleaned_data.get("reason", ""),
            user=request.user,
        )
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The entry was reversed."))
    return redirect("ledger", participation.pk)


@require_POST
@programme_staff_required
def review(request: AuthenticatedRequest, pk: int, entry_pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    entry = get_object_or_404(participation.ledger_entries, pk=entry_pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.review_expenditure(
            entry=entry,
            approve="approve" in request.POST,
            reason=form.cleaned_data.get("reason", ""),
            user=request.user,
        )
    except ValidationError as error:
        _refusal(request, error)
    return redirect("ledger", participation.pk)


@require_POST
def request_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    if not _is_own(request.user, participation):
        raise PermissionDenied
    form = BudgetChangeForm(request.POST, lines=list(line_totals(participation)))
    return _submit(
        request,
        participation,
        form,
        lambda: services.request_budget_change(
            participation=participation,
            deltas=form.deltas(),
            reason=form.cleaned_data["reason"],
            user=request.user,
        ),
        _("The budget change was sent to the ministry."),
    )


@require_POST
@programme_staff_required
def decide_change(request: AuthenticatedRequest, pk: int, change_pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    change = get_object_or_404(BudgetChange, pk=change_pk, participation=participation)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.decide_budget_change(
            change=change,
            approve="approve" in request.POST,
            reason=form.cleaned_data.get("reason", ""),
            user=request.user,
        )
    except ValidationError as error:
        _refusal(request, error)
    return redirect("ledger", participation.pk)


def document(request: AuthenticatedRequest, pk: int, entry_pk: int) -> FileResponse:
    participation = _get_participation(request.user, pk)
    entry = get_object_or_404(participation.ledger_entries.exclude(document=""), pk=entry_pk)
    return record_file(
        request, attachment(entry.document, entry.document_name or "document"), obj=entry
    )


def _overview_participations(user: Any) -> QuerySet[Participation]:
    return Participation.objects.visible_to(user).select_related("municipality", "cohort")


def _overview_rows(user: Any) -> list[dict[str, Any]]:
    """Every row of the overview (the rule is grants.models.ledger_overview) as the exports
    read them."""
    return [
        {**vars(row), "remaining": row.remaining}
        for row in ledger_overview(_overview_participations(user))
    ]


@programme_staff_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    participations = _overview_participations(request.user)
    listing = page_of(request, participations)
    return render(
        request,
        "grants/overview.html",
        {
            "listing": listing,
            # The table shows a page of participations; the total row is the whole programme's.
            "rows": ledger_overview(listing.page.object_list),
            "total": ledger_total(participations),
        },
    )


def _overview_table(user: Any) -> tuple[list[str], list[list[object]]]:
    rows = _overview_rows(user)
    header = [
        _("Municipality"),
        _("Cohort"),
        _("Grant (EUR)"),
        _("Disbursed (EUR)"),
        _("Spent (EUR)"),
        _("Waiting for approval (EUR)"),
        _("Remaining (EUR)"),
    ]
    table: list[list[object]] = [
        [
            row["participation"].municipality.name,
            str(row["participation"].cohort),
            row["participation"].grant_amount,
            row["disbursed"],
            row["spent"],
            row["pending"],
            row["remaining"],
        ]
        for row in rows
    ]
    totals: list[object] = [_("Total"), ""]
    for column in range(2, 7):
        totals.append(sum((Decimal(str(line[column])) for line in table), ZERO))
    return header, [*table, totals]


@programme_staff_required
def export(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    header, rows = _overview_table(request.user)
    if fmt == "xlsx":
        return record_file(request, xlsx_response("ledger-overview", header, rows))
    return record_file(request, csv_response("ledger-overview", header, rows))


@programme_staff_required
def export_entries(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    """Every ledger entry the user may see, with the total that counts as spent. The workbook
    has the overview first and a sheet per municipality; the CSV is one table."""
    entries = (
        LedgerEntry.objects.visible_to(request.user)
        .order_by("participation__municipality__name", "entry_on", "pk")
        .values_list(
            "participation__municipality__name",
            "entry_on",
            "kind",
            "budget_line__description",
            "description",
            "supplier",
            "invoice_number",
            "amount",
            "review__is_approved",
            "reversed_by__id",
        )
    )
    header = [
        _("Date"),
        _("Kind"),
        _("Budget line"),
        _("Description"),
        _("Supplier"),
        _("Invoice number"),
        _("Amount (EUR)"),
        _("State"),
    ]
    kinds = {kind: str(label) for kind, label in LedgerEntry.Kind.choices}
    states = {
        "reversed": _("reversed"),
        "approved": _("approved"),
        "rejected": _("rejected"),
        "pending": _("waiting for approval"),
        "": None,
    }
    total_label = _("Spent (approved and waiting)")

    def by_municipality() -> Any:
        """(municipality, its rows and a total row), one municipality at a time."""
        current, rows, spent = None, [], ZERO
        for (
            name,
            on,
            kind,
            line,
            text,
            supplier,
            invoice,
            amount,
            approved,
            reversal,
        ) in entries.iterator(chunk_size=5000):
            if name != current and current is not None:
                yield current, [*rows, [total_label, None, None, None, None, None, spent, None]]
                rows, spent = [], ZERO
            current = name
            state = _entry_state(kind, approved, reversal)
            if state in ("approved", "pending"):
                spent += amount
            rows.append(
                [
                    on,
                    kinds[kind],
                    line,
                    text or None,
                    supplier or None,
                    invoice or None,
                    amount,
                    states[state],
                ]
            )
        if current is not None:
            yield current, [*rows, [total_label, None, None, None, None, None, spent, None]]

    if fmt == "xlsx":
        overview_header, overview_rows = _overview_table(request.user)
        response = xlsx_workbook_response(
            "ledger-entries",
            [
                (_("Overview"), overview_header, overview_rows),
                *((name, header, rows) for name, rows in by_municipality()),
            ],
        )
    else:
        response = csv_response(
            "ledger-entries",
            [_("Municipality"), *header],
            ([name, *row] for name, rows in by_municipality() for row in rows),
        )
    return record_file(request, response)


def _entry_state(kind: str, approved: bool | None, reversal: int | None) -> str:
    if reversal is not None:
        return "reversed"
    if kind != LedgerEntry.Kind.EXPENDITURE:
        return ""
    if approved is None:
        return "pending"
    return "approved" if approved else "rejected"
