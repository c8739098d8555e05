from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import AuthenticatedRequest, programme_staff_required
from audit.services import record_file
from grants import rules, services
from grants.filters import EntryFilter
from grants.forms import (
    BudgetChangeForm,
    DisbursementForm,
    ExpenditureForm,
    ReasonForm,
    ReversalForm,
)
from grants.models import (
    UNALLOCATED_MSGID,
    ZERO,
    EntryState,
    LedgerEntry,
    ledger_overview,
    ledger_total,
    line_totals,
    year_overview,
)
from programme.models import Participation
from turvaportaal.lib.exports import (
    csv_response,
    xlsx_response,
    xlsx_workbook_response,
)
from turvaportaal.lib.paging import page_of
from turvaportaal.lib.rules import refuse_forbidden
from turvaportaal.lib.uploads import attachment


def _get_participation(user: Any, pk: int) -> Participation:
    """The participation if this user may see its ledger; otherwise 404."""
    return get_object_or_404(
        Participation.objects.visible_to(user).select_related("municipality__county", "cohort"),
        pk=pk,
    )


def _spending_chart(
    participation: Participation, running: list[tuple[date, Decimal]]
) -> dict[str, Any]:
    """Spending (the entries that count as spent) accumulated over time against an even plan
    over the period, as SVG points."""
    width, height, left, bottom = 560, 200, 56, 24
    start, end = participation.start_on, participation.end_on
    days = max((end - start).days, 1)
    grant = participation.grant_amount or Decimal("1")

    def point(on: date, amount: Decimal) -> str:
        x = left + (on - start).days / days * (width - left - 8)
        y = (height - bottom) - float(amount / grant) * (height - bottom - 8)
        return f"{x:.1f},{y:.1f}"

    spent = [point(start, ZERO), *(point(on, total) for on, total in running)]
    total = running[-1][1] if running else ZERO
    spent.append(point(min(timezone.localdate(), end), total))
    # The time axis: the period's first and last day and the three quarter points between.
    ticks = [start + (end - start) * k / 4 for k in range(5)]
    return {
        "width": width,
        "height": height,
        "x_labels": [
            (point(on, ZERO).split(",")[0], date_format(on, "SHORT_DATE_FORMAT"), anchor)
            for on, anchor in zip(
                ticks, ["start", "middle", "middle", "middle", "end"], strict=True
            )
        ],
        "label_y": height - 6,
        "plan": f"{point(start, ZERO)} {point(end, grant)}",
        "spent": " ".join(spent),
        "grant_y": point(start, grant).split(",")[1],
        "zero_y": point(start, ZERO).split(",")[1],
    }


def _ledger_page(
    request: AuthenticatedRequest, participation: Participation, **refused_form: Any
) -> HttpResponse:
    """The ledger with a form for each action the person may take; a refused form comes back as
    it was typed."""
    user = request.user
    lines = line_totals(participation)
    entries = (
        participation.ledger_entries.with_state()
        .select_related("budget_line", "review", "created_by", "paid_claim")
        # Each row says whether more information is requested about it (inquiries).
        .prefetch_related("information_requests__municipality")
    )
    entry_filter = EntryFilter(request.GET, queryset=entries)
    entry_filter.form.fields["budget_line"].queryset = participation.budget_lines.all()  # type: ignore[attr-defined]
    [money] = ledger_overview([participation])
    years = year_overview(participation)
    forms: dict[str, Any] = {
        "expenditure_form": rules.may_record_expenditure(user, participation)
        and ExpenditureForm(participation=participation),
        "disbursement_form": rules.may_record_disbursement(user, participation)
        and DisbursementForm(),
        "change_form": rules.may_request_change(user, participation)
        and BudgetChangeForm(overview=years),
    }
    return render(
        request,
        "grants/ledger.html",
        {
            "participation": participation,
            "lines": lines,
            "money": money,
            "budget": participation.budget_lines.amount_total(),
            "years": years,
            "filter": entry_filter,
            "chart": _spending_chart(participation, entries.running_spent()),
            **forms,
            **refused_form,
            "changes": participation.budget_changes.prefetch_related(
                "lines__budget_line", "information_requests__municipality"
            ),
            "is_staff": user.has_programme_wide_access,
        },
    )


def ledger(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _ledger_page(request, _get_participation(request.user, pk))


def _submit(
    request: AuthenticatedRequest,
    participation: Participation,
    name: str,
    form: Any,
    record: Callable[[], Any],
    success: str | Callable[[Any], str],
) -> HttpResponse:
    """Run a valid form's workflow. A refusal, by the form or by the rules, shows the ledger
    again with the form as it was typed and the reasons on it. ``success`` says what was
    done, or says it from what the workflow returned."""
    if form.is_valid():
        try:
            done = record()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success(done) if callable(success) else success)
            return redirect("ledger", participation.pk)
    if "document" in request.FILES:
        form.add_error("document", _("Choose the file again: a form sent back does not keep it."))
    return _ledger_page(request, participation, **{name: form})


@require_POST
def add_expenditure(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    refuse_forbidden(rules.may_record_expenditure(request.user, participation))
    form = ExpenditureForm(request.POST, request.FILES, participation=participation)
    return _submit(
        request,
        participation,
        "expenditure_form",
        form,
        lambda: services.record_expenditure(
            participation=participation, user=request.user, **form.cleaned_data
        ),
        _("The expenditure was recorded and waits for the ministry."),
    )


@require_POST
def add_disbursement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    refuse_forbidden(rules.may_record_disbursement(request.user, participation))
    form = DisbursementForm(request.POST)
    return _submit(
        request,
        participation,
        "disbursement_form",
        form,
        lambda: services.record_disbursement(
            participation=participation, user=request.user, **form.cleaned_data
        ),
        _("The disbursement was recorded."),
    )


@require_POST
def request_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    refuse_forbidden(rules.may_request_change(request.user, participation))
    form = BudgetChangeForm(request.POST, overview=year_overview(participation))
    return _submit(
        request,
        participation,
        "change_form",
        form,
        lambda: services.request_budget_change(
            participation=participation,
            deltas=form.deltas(),
            reason=form.cleaned_data["reason"],
            user=request.user,
        ),
        lambda change: (
            _("The money is moved: the move is within the agreement's flexible share.")
            if change.within_flexible_share
            else _("The budget change was sent to the ministry.")
        ),
    )


def _decided(
    request: AuthenticatedRequest, form: Any, decide: Callable[[str], object], success: str
) -> None:
    """Run a decision with its reason; say what was decided, or what was refused."""
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        decide(form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


@require_http_methods(["GET", "POST"])
def reverse(request: AuthenticatedRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Are you sure: the entry, what its reversal does and the reason asked for (GET); the
    reversal itself (POST). A refusal shows the page again with the reason as it was typed."""
    participation = _get_participation(request.user, pk)
    entry = get_object_or_404(
        participation.ledger_entries.with_state().select_related("budget_line"), pk=entry_pk
    )
    reversing = rules.may_reverse(request.user, entry)
    refuse_forbidden(reversing)
    form = ReversalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_entry(
                entry=entry, reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry was reversed."))
            return redirect("ledger", participation.pk)
    return render(
        request,
        "grants/reverse_confirm.html",
        {"participation": participation, "entry": entry, "form": form, "reversing": reversing},
    )


@require_POST
def review(request: AuthenticatedRequest, pk: int, entry_pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    entry = get_object_or_404(participation.ledger_entries.with_state(), pk=entry_pk)
    refuse_forbidden(rules.may_review(request.user, entry))
    approve = "approve" in request.POST
    _decided(
        request,
        ReasonForm(request.POST),
        lambda reason: services.review_expenditure(
            entry=entry, approve=approve, reason=reason, user=request.user
        ),
        _("The expenditure was approved.") if approve else _("The expenditure was rejected."),
    )
    return redirect("ledger", participation.pk)


@require_POST
def decide_change(request: AuthenticatedRequest, pk: int, change_pk: int) -> HttpResponse:
    participation = _get_participation(request.user, pk)
    change = get_object_or_404(participation.budget_changes, pk=change_pk)
    refuse_forbidden(rules.may_decide_change(request.user, change))
    approve = "approve" in request.POST
    _decided(
        request,
        ReasonForm(request.POST),
        lambda reason: services.decide_budget_change(
            change=change, approve=approve, reason=reason, user=request.user
        ),
        _("The budget change was approved: the money moved between the lines.")
        if approve
        else _("The budget change was refused."),
    )
    return redirect("ledger", participation.pk)


def document(request: AuthenticatedRequest, pk: int, entry_pk: int) -> HttpResponseBase:
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
    total = ledger_total(_overview_participations(user))
    totals: list[object] = [
        _("Total"),
        "",
        *(total[name] for name in ("grant", "disbursed", "spent", "pending", "remaining")),
    ]
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
    entries = LedgerEntry.objects.visible_to(request.user)
    spent = entries.spent_by("participation__municipality__name")
    rows = (
        entries.with_state()
        .order_by("participation__municipality__name", "entry_on", "pk")
        .values_list(  # type: ignore[misc]  # "state" is with_state's annotation
            "participation__municipality__name",
            "entry_on",
            "kind",
            "budget_line__description",
            "budget_line__is_unallocated",
            "description",
            "supplier",
            "invoice_number",
            "amount",
            "state",
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
    states = {state: str(label) or None for state, label in EntryState.choices}
    total_label = _("Spent (approved and waiting)")
    unallocated_name = _(UNALLOCATED_MSGID)

    def total_row(name: str) -> list[object]:
        return [total_label, None, None, None, None, None, spent.get(name, ZERO), None]

    def by_municipality() -> Any:
        """(municipality, its rows and a total row), one municipality at a time."""
        current: str | None = None
        rows_of_one: list[list[object]] = []
        for (
            name,
            on,
            kind,
            line,
            unallocated,
            text,
            supplier,
            invoice,
            amount,
            state,
        ) in rows.iterator(chunk_size=5000):
            if name != current and current is not None:
                yield current, [*rows_of_one, total_row(current)]
                rows_of_one = []
            current = name
            rows_of_one.append(
                [
                    on,
                    kinds[kind],
                    unallocated_name if unallocated else line,
                    text or None,
                    supplier or None,
                    invoice or None,
                    amount,
                    states[state],
                ]
            )
        if current is not None:
            yield current, [*rows_of_one, total_row(current)]

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
