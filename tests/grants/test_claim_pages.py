"""The payment claim's pages and exports, as the municipality and the ministry use them."""

import hashlib
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from grants import services
from grants.models import ClaimStatus, LedgerEntry, PaymentClaim
from tests.grants.claims import claim_of, expenditure

pytestmark = pytest.mark.django_db


def url(name, claim, *more):
    return reverse(name, args=[claim.participation_id, claim.pk, *more])


def test_the_municipality_makes_checks_and_submits_a_claim(
    participation, staff_line, training_line, kov_a, ministry, client_for
):
    with_document = expenditure(participation, staff_line, "120.50", kov_a, supplier="Arvutid AS")
    without = expenditure(participation, training_line, "80.00", kov_a, document=False)
    client = client_for(kov_a, "en")
    ledger = client.get(reverse("ledger", args=[participation.pk]))
    assert reverse("claims", args=[participation.pk]) in ledger.content.decode()

    today = timezone.localdate()
    created = client.post(
        reverse("claims", args=[participation.pk]),
        {
            "period_start": (today - timedelta(days=30)).isoformat(),
            "period_end": today.isoformat(),
            "forecast_amount": "2500.00",
            "forecast_note": "Sügisene koolitus",
        },
    )
    claim = PaymentClaim.objects.get()
    assert created.url == url("claim", claim)
    page = client.get(url("claim", claim)).content.decode()
    # The expenditure without a document is shown, not offered, and says why.
    assert f'value="{without.pk}" id="entry-{without.pk}" disabled' in page
    assert "has no supporting document" in page

    client.post(url("claim_add", claim), {"entries": [with_document.pk]})
    assert list(claim.lines.values_list("entry", flat=True)) == [with_document.pk]
    refused = client.post(url("claim_add", claim), {"entries": [without.pk]})
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()

    check = client.get(url("claim_submit", claim)).content.decode()
    assert "Check the claim before submitting it" in check and "120.50" in check
    submitted = client.post(url("claim_submit", claim))
    assert submitted.url == url("claim_submitted", claim)
    confirmation = client.get(submitted.url).content.decode()
    assert "Claim submitted" in confirmation
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


@pytest.fixture
def submitted(participation, staff_line, training_line, kov_a, ministry):
    claim = claim_of(participation, kov_a)
    services.add_to_claim(
        claim=claim,
        entries=[
            expenditure(participation, staff_line, "1000.00", kov_a),
            expenditure(participation, training_line, "300.00", kov_a),
            expenditure(participation, training_line, "200.00", kov_a),
        ],
        user=kov_a,
    )
    return services.submit_claim(claim=claim, user=kov_a)


def test_the_ministry_reviews_line_by_line_and_a_refusal_keeps_what_was_typed(
    submitted, ministry, client_for
):
    client = client_for(ministry, "en")
    review = url("claim_review", submitted)
    part = submitted.lines.get(entry__amount=Decimal("300.00"))
    prefix = f"line-{part.pk}"
    answer = client.post(
        review,
        {"line": part.pk, f"{prefix}-decision": "part", f"{prefix}-accepted_amount": "400.00"},
    )
    text = answer.content.decode()
    assert answer.status_code == 200 and "There is a problem" in text
    assert 'value="400.00"' in text
    assert not LedgerEntry.objects.filter(review__isnull=False).exists()

    decisions = {
        Decimal("1000.00"): {"decision": "accepted"},
        Decimal("300.00"): {"decision": "part", "accepted_amount": "250.00", "reason": "Osa"},
        Decimal("200.00"): {"decision": "refused", "reason": "Ei sobi"},
    }
    for line in submitted.lines.select_related("entry"):
        fields = decisions[line.entry.amount]
        data = {f"line-{line.pk}-{name}": value for name, value in fields.items()}
        assert client.post(review, {"line": line.pk, **data}).status_code == 302
    client.post(url("claim_decide", submitted))
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.DECIDED
    assert submitted.disbursement.amount == Decimal("1250.00")
    page = client.get(url("claim", submitted)).content.decode()
    assert 'data-total="accepted">1\xa0250,00' in page or "1,250.00" in page


def test_the_exports_show_the_lines_documents_decisions_and_totals(
    submitted, ministry, kov_a, kov_b, client_for
):
    first = submitted.lines.select_related("entry").order_by("entry__amount").first()
    services.review_claim_line(
        line=first, decision="refused", accepted_amount=None, reason="Ei sobi", user=ministry
    )
    workbook = load_workbook(
        io.BytesIO(client_for(kov_a, "en").get(url("claim_export", submitted, "xlsx")).content)
    )
    lines = list(workbook["Lines"].iter_rows(values_only=True))
    header, rows = lines[0], lines[1:]
    assert "SHA-256 checksum" in header
    stored = {
        line.entry.invoice_number: line.entry for line in submitted.lines.select_related("entry")
    }
    for row in rows:
        entry = stored[row[header.index("Invoice number")]]
        with entry.document.open("rb") as file:
            assert row[header.index("SHA-256 checksum")] == hashlib.sha256(file.read()).hexdigest()
        assert row[header.index("Supporting document")] == "arve.pdf"
    refused = next(
        r for r in rows if r[header.index("Invoice number")] == first.entry.invoice_number
    )
    assert (refused[header.index("Decision")], refused[header.index("Reason")]) == (
        "refused",
        "Ei sobi",
    )
    totals = list(workbook["Totals"].iter_rows(values_only=True))
    # The overall total, recomputed from the lines in Python.
    claimed = sum(Decimal(str(r[header.index("Claimed (EUR)")])) for r in rows)
    assert totals[-1][0] == "Total" and Decimal(str(totals[-1][1])) == claimed == Decimal("1500")
    assert sum(Decimal(str(r[1])) for r in totals[1:-1]) == claimed

    pdf = client_for(ministry, "en").get(url("claim_export", submitted, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Payment claim" in text and "arve.pdf" in text and "Ei sobi" in text

    assert client_for(kov_b).get(url("claim_export", submitted, "xlsx")).status_code == 404
    assert client_for(kov_b).get(url("claim", submitted)).status_code == 404
