"""A payment claim exported as a reviewer reads it: the lines with their supporting documents
(file name and SHA-256 checksum), the decisions, and the totals per budget line and overall.
A PDF (printed with the reports' WeasyPrint helper) and an XLSX workbook; only for who may see
the claim."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import AuthenticatedRequest
from audit.services import record_file
from grants.models import LineDecision, PaymentClaim
from reports.documents import render_document
from reports.pdf import render_pdf
from turvaportaal.lib.exports import xlsx_workbook_response


@dataclass(frozen=True)
class ExportLine:
    """One line of the claim as the export shows it."""

    line: Any
    document_name: str
    checksum: str

    @property
    def entry(self) -> Any:
        return self.line.entry

    @property
    def decision(self) -> str:
        return str(LineDecision(self.line.decision).label)

    @property
    def accepted(self) -> Decimal | None:
        return None if self.line.decision == LineDecision.UNDECIDED else self.line.accepted


def checksum(field: Any) -> str:
    """The stored file's SHA-256, read in chunks; empty for no file."""
    if not field:
        return ""
    digest = hashlib.sha256()
    with field.open("rb") as file:
        for chunk in iter(lambda: file.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def claim_content(claim: PaymentClaim) -> dict[str, Any]:
    """What the exports show: the lines, the totals per budget line and overall."""
    lines = [
        ExportLine(line, line.entry.document_name, checksum(line.entry.document))
        for line in (
            claim.lines.with_decision()  # type: ignore[attr-defined]
            .select_related("entry__budget_line", "entry__review")
            .order_by("entry__entry_on", "pk")
        )
    ]
    by_line = claim.lines.totals_by_budget_line()  # type: ignore[attr-defined]
    return {
        "claim": claim,
        "participation": claim.participation,
        "lines": lines,
        "sums": [
            {"line": line, **by_line[line.pk]}
            for line in claim.participation.budget_lines.all()
            if line.pk in by_line
        ],
        "totals": claim.lines.totals(),  # type: ignore[attr-defined]
    }


def _filename(claim: PaymentClaim) -> str:
    return (
        f"{slugify(claim.participation.municipality.name)}-"
        f"{_('payment-claim')}-{claim.period_start:%Y%m%d}-{claim.period_end:%Y%m%d}"
    )


def claim_pdf(claim: PaymentClaim) -> HttpResponse:
    title = _("Payment claim %(start)s–%(end)s") % {
        "start": claim.period_start.strftime("%d.%m.%Y"),
        "end": claim.period_end.strftime("%d.%m.%Y"),
    }
    document = render_document("pdf/claim.html", title, claim_content(claim))
    response = HttpResponse(
        render_pdf(document, language=translation.get_language() or "et"),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(claim)}.pdf"'
    return response


def claim_xlsx(claim: PaymentClaim) -> HttpResponse:
    content = claim_content(claim)
    header = [
        _("Date"),
        _("Budget line"),
        _("Description"),
        _("Supplier"),
        _("Invoice number"),
        _("Supporting document"),
        _("SHA-256 checksum"),
        _("Claimed (EUR)"),
        _("Decision"),
        _("Accepted (EUR)"),
        _("Reason"),
    ]
    rows: list[list[object]] = [
        [
            row.entry.entry_on,
            row.entry.budget_line.name,
            row.entry.description or None,
            row.entry.supplier or None,
            row.entry.invoice_number or None,
            row.document_name or None,
            row.checksum or None,
            row.entry.amount,
            row.decision,
            row.accepted,
            getattr(getattr(row.entry, "review", None), "reason", "") or None,
        ]
        for row in content["lines"]
    ]
    totals_header = [_("Budget line"), _("Claimed (EUR)"), _("Accepted (EUR)")]
    totals: list[list[object]] = [
        [sum_["line"].name, sum_["claimed"], sum_["accepted"]] for sum_ in content["sums"]
    ]
    totals.append([_("Total"), content["totals"]["claimed"], content["totals"]["accepted"]])
    facts: list[list[object]] = [
        [_("Municipality"), claim.participation.municipality.name],
        [_("Period from"), claim.period_start],
        [_("Period to"), claim.period_end],
        [_("Status"), str(claim.get_status_display())],
        [_("Forecast of the next quarter's claims (EUR)"), claim.forecast_amount],
        [_("About the forecast"), claim.forecast_note or None],
        [_("Decision summary"), claim.decision_note or None],
    ]
    return xlsx_workbook_response(
        _filename(claim),
        [
            (_("Claim"), [_("Fact"), _("Value")], facts),
            (_("Lines"), header, rows),
            (_("Totals"), totals_header, totals),
        ],
    )


def claim_export(request: AuthenticatedRequest, pk: int, claim_pk: int, fmt: str) -> HttpResponse:
    """The claim as a PDF or a workbook, for who may see the claim; 404 for anyone else."""
    claim = get_object_or_404(
        PaymentClaim.objects.visible_to(request.user).select_related(
            "participation__municipality", "participation__cohort"
        ),
        pk=claim_pk,
        participation_id=pk,
    )
    if fmt == "pdf":
        return record_file(request, claim_pdf(claim), obj=claim)
    if fmt == "xlsx":
        return record_file(request, claim_xlsx(claim), obj=claim)
    raise Http404
