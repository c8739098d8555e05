"""Helpers for the payment claim tests: expenditures with a document, and a claim of a period."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants import services
from grants.models import LedgerEntry, PaymentClaim
from tests.factories import pdf_bytes


def expenditure(
    participation: Any, line: Any, amount: str, user: Any, *, document: bool = True, **extra: Any
) -> LedgerEntry:
    return services.record_expenditure(
        participation=participation,
        budget_line=line,
        amount=Decimal(amount),
        entry_on=extra.pop("entry_on", timezone.localdate()),
        description=extra.pop("description", "Koolitus"),
        supplier=extra.pop("supplier", "Tarnija OÜ"),
        invoice_number=extra.pop("invoice_number", f"A-{amount}"),
        document=SimpleUploadedFile("arve.pdf", pdf_bytes(), "application/pdf")
        if document
        else None,
        user=user,
    )


def claim_of(participation: Any, user: Any, **extra: Any) -> PaymentClaim:
    today = timezone.localdate()
    return services.create_claim(
        participation=participation,
        period_start=extra.pop("period_start", today - timedelta(days=90)),
        period_end=extra.pop("period_end", today),
        forecast_amount=Decimal(extra.pop("forecast_amount", "5000.00")),
        forecast_note=extra.pop("forecast_note", "Koolitused sügisel"),
        user=user,
    )
