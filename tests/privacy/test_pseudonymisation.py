"""The audit log and the ledger stay append-only and complete: erasing a person rewrites only
the columns that name them, through one path; counts and sums are the same after."""

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum

from accounts.models import UserSession
from accounts.services import deactivate_user
from audit.models import Action, AuditEvent
from audit.services import record, record_change
from grants import services as grants
from grants.models import LedgerEntry
from privacy import pseudonyms, services
from tests.factories import pdf_bytes
from tests.grants.conftest import expenditure_kwargs

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the path is PostgreSQL's"),
]

PDF = pdf_bytes()


@pytest.fixture
def history(participation, staff_line, kov_a, ministry, admin):
    """Tiina of Rapla records an expenditure naming herself, the ministry pays, and the log
    has her sign-ins and a failed one."""
    entry = grants.record_expenditure(
        **expenditure_kwargs(
            participation,
            staff_line,
            "1200.50",
            kov_a,
            description="Koolitus, korraldaja Tiina Rapla",
            supplier="Tiina Rapla FIE",
            document=SimpleUploadedFile("arve.pdf", PDF, content_type="application/pdf"),
        )
    )
    grants.record_disbursement(
        participation=participation,
        amount=Decimal("5000.00"),
        entry_on=entry.entry_on,
        tranche=1,
        user=ministry,
    )
    record(kov_a, Action.SIGN_IN)
    AuditEvent.objects.create(
        action=Action.SIGN_IN_FAILED, actor_label="tiina@rapla.example", ip_address="10.0.0.7"
    )
    record_change(ministry, kov_a, "person invited", after={"email": "tiina@rapla.example"})
    deactivate_user(user=kov_a, by=admin)
    return entry


def totals():
    return (
        AuditEvent.objects.count(),
        LedgerEntry.objects.count(),
        LedgerEntry.objects.aggregate(total=Sum("amount"))["total"],
        list(LedgerEntry.objects.order_by("pk").values_list("pk", "kind", "amount", "entry_on")),
    )


def test_erasure_replaces_the_person_and_keeps_every_row_and_sum(history, kov_a, admin):
    before = totals()
    name = services.erase_person(person=kov_a, by=admin)
    after = totals()
    assert after[0] == before[0] + 1  # the erasure's own record, nothing removed
    assert after[1:] == before[1:]
    text = json.dumps(
        list(AuditEvent.objects.values("actor_label", "object_label", "detail", "before", "after"))
    ) + json.dumps(list(LedgerEntry.objects.values("description", "supplier")))
    assert "tiina@rapla.example" not in text.lower()
    assert "tiina rapla" not in text.lower()
    assert name in text
    assert not AuditEvent.objects.filter(actor=kov_a, ip_address__isnull=False).exists()
    kov_a.refresh_from_db()
    assert kov_a.email == f"{name}@{pseudonyms.ANONYMISED_DOMAIN}"
    assert not kov_a.is_active and not kov_a.has_usable_password()
    assert not UserSession.objects.filter(user=kov_a).exists()
    erased = AuditEvent.objects.latest("pk")
    assert (erased.actor, erased.detail) == (admin, "personal data erased")


def test_the_pseudonym_is_stable():
    assert pseudonyms.pseudonym("Tiina@Rapla.example ") == pseudonyms.pseudonym(
        "tiina@rapla.example"
    )
    assert pseudonyms.pseudonym("a@b.example") != pseudonyms.pseudonym("c@d.example")


def test_outside_the_path_the_log_and_the_ledger_refuse_every_change(history):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(actor_label="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.update(supplier="x")


def test_inside_the_path_figures_and_deletions_are_still_refused(history):
    for change in (
        lambda: LedgerEntry.objects.update(amount=Decimal("1.00")),
        lambda: LedgerEntry.objects.update(supplier="x", entry_on=history.entry_on - timedelta(1)),
        lambda: LedgerEntry.objects.update(document="elsewhere.pdf"),
        lambda: AuditEvent.objects.update(action=Action.SIGN_OUT),
        lambda: AuditEvent.objects.update(ip_address="10.9.9.9"),
        lambda: AuditEvent.objects.all().delete(),
        lambda: LedgerEntry.objects.filter(pk=history.pk).delete(),
    ):
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            pseudonyms.rewriting_personal_data(),
        ):
            change()
    # The path closes with its block.
    with transaction.atomic():
        with pseudonyms.rewriting_personal_data():
            LedgerEntry.objects.filter(pk=history.pk).update(supplier="Tarnija")
        with pytest.raises(DatabaseError), transaction.atomic():
            LedgerEntry.objects.filter(pk=history.pk).update(supplier="Teine")


def test_an_active_account_or_ones_own_is_not_erased(kov_a, admin):
    with pytest.raises(ValidationError):
        services.erase_person(person=kov_a, by=admin)
    from turvaportaal.lib.rules import Forbidden

    with pytest.raises(Forbidden):
        services.erase_person(person=admin, by=admin)


def test_the_access_request_export_holds_the_rows_and_files(history, kov_a, admin):
    name, content = services.export_person(person=kov_a, by=admin)
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert "accounts.user.json" in names
    assert "audit.auditevent.json" in names
    assert "grants.ledgerentry.json" in names
    account = json.loads(archive.read("accounts.user.json"))[0]["fields"]
    assert account["email"] == "tiina@rapla.example"
    assert "password" not in account
    files = [n for n in names if n.startswith("files/grants.ledgerentry/")]
    assert [archive.read(n) for n in files] == [PDF]
    exported = AuditEvent.objects.latest("pk")
    assert (exported.action, exported.actor, exported.detail) == (Action.EXPORT, admin, name)


def test_erasure_drops_the_personal_code_and_its_traces_in_the_log(history, kov_a, admin):
    type(kov_a).objects.filter(pk=kov_a.pk).update(personal_code="EE38001085718")
    kov_a.refresh_from_db()
    AuditEvent.objects.create(
        action=Action.SIGN_IN_FAILED,
        actor_label="EE38001085718",
        detail="eID sign-in refused",
        after={"personal_code": "38001085718"},
    )
    name = services.erase_person(person=kov_a, by=admin)
    kov_a.refresh_from_db()
    assert kov_a.personal_code is None
    text = json.dumps(list(AuditEvent.objects.values("actor_label", "after")))
    assert "38001085718" not in text and name in text
