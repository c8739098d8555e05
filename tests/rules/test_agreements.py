"""Who keeps the partnership agreements (agreements/rules.py): the ministry draws each up and
changes its terms until the signed copy is stored, stores that once, then amends it; the
municipality and its provider only read it."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.services import save_agreement, store_signed_agreement
from tests.agreements.containers import make_signer, signed_container
from tests.rules.table import STAFF, check, row


@pytest.fixture
def world(people, participation):
    ministry = people["ministry"]
    agreement = save_agreement(
        participation=participation,
        user=ministry,
        terms={
            "number": "A-1",
            "start_on": date(2026, 1, 1),
            "end_on": date(2027, 12, 31),
            "ministry_signatory": "Mari Mets",
            "municipality_signatory": "Jaan Tamm",
            "grant_amount": Decimal("35000.00"),
        },
    )

    def signed():
        """A's agreement with its signed copy stored (a row's state, made when asked)."""
        upload = SimpleUploadedFile("leping.asice", signed_container(make_signer()))
        return store_signed_agreement(agreement=agreement, uploaded_file=upload, user=ministry)

    return SimpleNamespace(participation=participation, agreement=agreement, signed=signed)


TABLE = [
    row("agreements.edit", "no agreement yet", lambda w: (w.participation,), allowed=STAFF),
    row(
        "agreements.edit",
        "a draft agreement",
        lambda w: (w.participation, w.agreement),
        allowed=STAFF,
    ),
    # Signed, it changes only by an amendment.
    row(
        "agreements.edit",
        "a signed agreement",
        lambda w: (w.participation, w.signed()),
        not_now=STAFF,
    ),
    row("agreements.upload", "a draft agreement", lambda w: (w.agreement,), allowed=STAFF),
    row("agreements.upload", "a signed agreement", lambda w: (w.signed(),), not_now=STAFF),
    row("agreements.amend", "a draft agreement", lambda w: (w.agreement,), not_now=STAFF),
    row("agreements.amend", "a signed agreement", lambda w: (w.signed(),), allowed=STAFF),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
