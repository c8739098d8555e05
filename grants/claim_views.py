"""Payment claims' pages: the participation's claims, a claim (collect, check and submit), the
confirmation, and the ministry's line-by-line review. The exports are the reports app's."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import AuthenticatedRequest
from grants import rules, services
from grants.forms import ClaimForm, ClaimLinesForm, LineReviewForm
from grants.models import ClaimLine, ClaimStatus, LineDecision, PaymentClaim
from grants.views import _get_participation
from turvaportaal.lib.rules import refuse_forbidden


def _get_claim(user: Any, pk: int, claim_pk: int) -> PaymentClaim:
    """The claim if this user may see it; otherwise 404."""
    return get_object_or_404(
        PaymentClaim.objects.visible_to(user).select_related(
            "participation__municipality", "participation__cohort", "disbursement"
        ),
        pk=claim_pk,
        participation_id=pk,
    )


def claim_lines(claim: PaymentClaim) -> list[Any]:
    """The claim's lines with their decision, accepted amount, budget line and review."""
    return list(
        claim.lines.with_decision()  # type: ignore[attr-defined]
        .select_related("entry__budget_line", "entry__review")
        .order_by("entry__entry_on", "pk")
    )


def line_sums(claim: PaymentClaim) -> list[dict[str, Any]]:
    """Claimed and accepted per budget line of the participation, lines without a claimed
    expenditure left out."""
    sums = claim.lines.totals_by_budget_line()  # type: ignore[attr-defined]
    return [
        {"line": line, **sums[line.pk]}
        for line in claim.participation.budget_lines.all()
        if line.pk in sums
    ]


@require_http_methods(["GET", "POST"])
def claims(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The participation's claims with their totals, and a form to start one."""
    participation = _get_participation(request.user, pk)
    creating = rules.may_create_claim(request.user, participation)
    form = ClaimForm(request.POST or None)
    if request.method == "POST":
        refuse_forbidden(creating)
        if form.is_valid():
            try:
                claim = services.create_claim(
                    participation=participation, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The claim was started. Add its expenditures."))
                return redirect("claim", participation.pk, claim.pk)
    rows = list(participation.payment_claims.all())
    totals = ClaimLine.objects.filter(claim__in=rows).totals_by_claim()
    empty = {"claimed": None, "accepted": None}
    return render(
        request,
        "grants/claims.html",
        {
            "participation": participation,
            "rows": [(claim, totals.get(claim.pk, empty)) for claim in rows],
            "form": form if creating else None,
            "creating": creating,
        },
    )


def _claim_page(request: AuthenticatedRequest, claim: PaymentClaim, **bound: Any) -> HttpResponse:
    user = request.user
    editing = rules.may_edit_claim(user, claim)
    candidates = []
    if editing:
        candidates = [
            (entry, rules.may_add_to_claim(user, claim, entry))
            for entry in claim.candidates().select_related("budget_line").order_by("entry_on", "pk")
        ]
    details_form = bound.get("details_form") or (
        editing
        and ClaimForm(
            initial={
                "period_start": claim.period_start,
                "period_end": claim.period_end,
                "forecast_amount": claim.forecast_amount,
                "forecast_note": claim.forecast_note,
            }
        )
    )
    return render(
        request,
        "grants/claim.html",
        {
            "participation": claim.participation,
            "claim": claim,
            "lines": claim_lines(claim),
            "sums": line_sums(claim),
            "totals": claim.lines.totals(),  # type: ignore[attr-defined]
            "editing": editing,
            "details_form": details_form,
            "lines_form": bound.get("lines_form"),
            "candidates": candidates,
            "checked": bound.get("checked", set()),
        },
    )


@require_http_methods(["GET", "POST"])
def claim(request: AuthenticatedRequest, pk: int, claim_pk: int) -> HttpResponse:
    """The claim: its lines, totals and forecast (GET); a draft's period and forecast (POST)."""
    claim = _get_claim(request.user, pk, claim_pk)
    if request.method == "GET":
        return _claim_page(request, claim)
    refuse_forbidden(rules.may_edit_claim(request.user, claim))
    form = ClaimForm(request.POST)
    if form.is_valid():
        try:
            services.update_claim(claim=claim, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The claim's period and forecast were saved."))
            return redirect("claim", pk, claim.pk)
    return _claim_page(request, claim, details_form=form)


@require_POST
def claim_add(request: AuthenticatedRequest, pk: int, claim_pk: int) -> HttpResponse:
    claim = _get_claim(request.user, pk, claim_pk)
    refuse_forbidden(rules.may_edit_claim(request.user, claim))
    form = ClaimLinesForm(request.POST, participation=claim.participation)
    if form.is_valid():
        try:
            added = services.add_to_claim(
                claim=claim, entries=list(form.cleaned_data["entries"]), user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s expenditure was added to the claim.",
                    "%(count)s expenditures were added to the claim.",
                    len(added),
                )
                % {"count": len(added)},
            )
            return redirect("claim", pk, claim.pk)
    checked = {value for value in request.POST.getlist("entries") if value.isdigit()}
    return _claim_page(request, claim, lines_form=form, checked=checked)


@require_POST
def claim_remove(
    request: AuthenticatedRequest, pk: int, claim_pk: int, line_pk: int
) -> HttpResponse:
    claim = _get_claim(request.user, pk, claim_pk)
    line = get_object_or_404(claim.lines, pk=line_pk)
    refuse_forbidden(rules.may_edit_claim(request.user, claim))
    try:
        services.remove_from_claim(line=line, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The expenditure was taken out of the claim."))
    return redirect("claim", pk, claim.pk)


@require_http_methods(["GET", "POST"])
def claim_submit(request: AuthenticatedRequest, pk: int, claim_pk: int) -> HttpResponse:
    """Check and submit: the whole claim as the ministry will read it (GET); sending it
    (POST). A refusal shows the page again with the reason."""
    claim = _get_claim(request.user, pk, claim_pk)
    submitting = rules.may_submit_claim(request.user, claim)
    refuse_forbidden(submitting)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.submit_claim(claim=claim, user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("claim_submitted", pk, claim.pk)
    return render(
        request,
        "grants/claim_submit.html",
        {
            "participation": claim.participation,
            "claim": claim,
            "lines": claim_lines(claim),
            "sums": line_sums(claim),
            "totals": claim.lines.totals(),  # type: ignore[attr-defined]
            "submitting": submitting,
            "errors": errors,
        },
    )


def claim_submitted(request: AuthenticatedRequest, pk: int, claim_pk: int) -> HttpResponse:
    """The confirmation after submitting: what happens next."""
    claim = _get_claim(request.user, pk, claim_pk)
    if claim.status == ClaimStatus.DRAFT:
        return redirect("claim", pk, claim.pk)
    return render(
        request,
        "grants/claim_submitted.html",
        {
            "participation": claim.participation,
            "claim": claim,
            "totals": claim.lines.totals(),  # type: ignore[attr-defined]
        },
    )


@require_http_methods(["GET", "POST"])
def claim_review(request: AuthenticatedRequest, pk: int, claim_pk: int) -> HttpResponse:
    """The ministry's review, line by line (GET); one line's decision (POST). A refused
    decision comes back as it was typed, with the error summary at the top."""
    claim = _get_claim(request.user, pk, claim_pk)
    refuse_forbidden(rules.may_decide_claim(request.user, claim))
    bound: LineReviewForm | None = None
    bound_line: int | None = None
    if request.method == "POST":
        posted = request.POST.get("line", "")
        line = (
            claim.lines.with_decision()  # type: ignore[attr-defined]
            .filter(pk=int(posted) if posted.isdigit() else 0)
            .first()
        )
        if line is None:
            messages.error(request, _("Choose a line of this claim to decide."))
            return redirect("claim_review", pk, claim.pk)
        refuse_forbidden(rules.may_review_claim_line(request.user, line))
        bound, bound_line = LineReviewForm(request.POST, prefix=f"line-{line.pk}"), line.pk
        if bound.is_valid():
            try:
                services.review_claim_line(line=line, user=request.user, **bound.cleaned_data)
            except ValidationError as error:
                bound.add_error(None, error)
            else:
                messages.success(request, _("The line was decided."))
                return redirect("claim_review", pk, claim.pk)
    lines = claim_lines(claim)
    forms = {
        line.pk: bound if line.pk == bound_line else LineReviewForm(prefix=f"line-{line.pk}")
        for line in lines
        if line.decision == LineDecision.UNDECIDED
    }
    return render(
        request,
        "grants/claim_review.html",
        {
            "participation": claim.participation,
            "claim": claim,
            "lines": [(line, forms.get(line.pk)) for line in lines],
            "sums": line_sums(claim),
            "totals": claim.lines.totals(),  # type: ignore[attr-defined]
            "form": bound,
            "deciding": rules.may_decide_claim(request.user, claim),
            "reviewing": claim.status == ClaimStatus.SUBMITTED,
        },
    )


@require_POST
def claim_decide(request: AuthenticatedRequest, pk: int, claim_pk: int) -> HttpResponse:
    claim = _get_claim(request.user, pk, claim_pk)
    refuse_forbidden(rules.may_decide_claim(request.user, claim))
    try:
        services.decide_claim(claim=claim, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("claim_review", pk, claim.pk)
    messages.success(request, _("The claim was decided; the municipality was told."))
    return redirect("claim", pk, claim.pk)
