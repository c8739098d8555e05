"""The retention table: each rule acts on what is due and on nothing else; the dry run changes
nothing; the README's section is the table."""

import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.utils import timezone, translation

from accounts.models import Invitation, Role
from applications.models import CouncilDecision, Status, TeamMember
from audit.models import Action, AuditEvent
from conversations.models import Attachment, Message
from grants import services as grants
from grants.models import LedgerEntry
from privacy import pseudonyms, retention
from privacy.tasks import apply_retention
from tests.factories import ApplicationFactory, UserFactory, pdf_bytes
from tests.grants.conftest import expenditure_kwargs

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the path is PostgreSQL's"),
]


@pytest.fixture
def due(participation, staff_line, kov_a, ministry):
    """One row due under each rule, and one not yet due beside it."""
    now = timezone.now()
    old, fresh = now - timedelta(days=800), now - timedelta(days=1)
    for email, expires_at in (("vana@rapla.example", old), ("uus@rapla.example", fresh)):
        Invitation.objects.create(
            user=UserFactory(role=Role.MUNICIPALITY, email=email, municipality=kov_a.municipality),
            invited_by=ministry,
            expires_at=expires_at,
        )
    for when in (old, fresh):
        attempt = AccessAttempt.objects.create(
            username="x@y.example",
            ip_address="10.0.0.1",
            failures_since_start=1,
            user_agent=str(when),
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)
        AuditEvent.objects.create(
            action=Action.SIGN_IN_FAILED, actor_label="x@y.example", ip_address="10.0.0.1", at=when
        )
    for deadline in (old, fresh):
        application = ApplicationFactory(
            status=Status.NOT_SELECTED,
            call__opens_at=deadline - timedelta(days=30),
            call__deadline_at=deadline,
            contact_name="Kati Kontakt",
        )
        TeamMember.objects.create(application=application, name="Jaan Tamm", role="juht")
        decision = CouncilDecision(
            application=application, original_name="otsus.pdf", size=10, sha256="0" * 64
        )
        decision.file.save("otsus.pdf", ContentFile(pdf_bytes()), save=True)
    UserFactory(
        role=Role.MUNICIPALITY,
        email="lahkunud@rapla.example",
        is_active=False,
        municipality=kov_a.municipality,
        created_at=old,
    )
    entry = grants.record_expenditure(
        **expenditure_kwargs(
            participation,
            staff_line,
            "100.00",
            kov_a,
            document=SimpleUploadedFile("arve.pdf", pdf_bytes(), content_type="application/pdf"),
        )
    )
    message = Message.objects.create(
        participation=participation, author=kov_a, side=Message.Side.MUNICIPALITY, body="Tere"
    )
    attachment = Attachment(message=message, original_name="kiri.pdf", size=10, sha256="0" * 64)
    attachment.file.save("kiri.pdf", ContentFile(pdf_bytes()), save=True)
    grants.record_disbursement(
        participation=participation,
        amount=Decimal("500.00"),
        entry_on=entry.entry_on,
        tranche=1,
        user=ministry,
    )
    return entry


def counts() -> dict[str, int]:
    return {step.rule.key: step.count for step in retention.plan()}


def test_each_rule_acts_on_what_is_due_only(due, settings, django_capture_on_commit_callbacks):
    assert counts() == {
        "invitations": 1,
        "sign_in_attempts": 1,
        "failed_sign_ins": 1,
        "not_selected_applications": 1,
        "deactivated_accounts": 1,
        "programme_documents": 0,
        "message_attachments": 0,
        "signed_containers": 0,
        "inquiry_attachments": 0,
    }
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "invitations: 1 would be anonymised in place" in out.getvalue()
    assert counts()["invitations"] == 1  # the dry run changed nothing
    ledger = (LedgerEntry.objects.count(), LedgerEntry.objects.aggregate(s=Sum("amount"))["s"])
    audit = AuditEvent.objects.count()

    decisions = {
        d.application.call.deadline_at < timezone.now() - timedelta(days=30): d.file
        for d in CouncilDecision.objects.all()
    }
    with django_capture_on_commit_callbacks(execute=True):
        done = apply_retention()
    assert not decisions[True].storage.exists(decisions[True].name)
    assert decisions[False].storage.exists(decisions[False].name)
    assert CouncilDecision.objects.count() == 1
    assert done == {
        "invitations": 1,
        "sign_in_attempts": 1,
        "failed_sign_ins": 1,
        "not_selected_applications": 1,
        "deactivated_accounts": 1,
        "programme_documents": 0,
        "message_attachments": 0,
        "signed_containers": 0,
        "inquiry_attachments": 0,
    }
    assert set(counts().values()) == {0}
    assert Invitation.objects.get().user.email == "uus@rapla.example"
    assert AccessAttempt.objects.count() == 1
    failed = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).order_by("at")
    assert [(e.actor_label, e.ip_address) for e in failed] == [
        (pseudonyms.pseudonym("x@y.example"), None),
        ("x@y.example", "10.0.0.1"),
    ]
    assert list(TeamMember.objects.values_list("name", flat=True)) == ["Jaan Tamm"]
    # One record of the run, with its numbers; none removed.
    assert AuditEvent.objects.count() == audit + 1
    assert AuditEvent.objects.latest("pk").after == {key: 1 for key in done if done[key]}
    assert ledger == (
        LedgerEntry.objects.count(),
        LedgerEntry.objects.aggregate(s=Sum("amount"))["s"],
    )

    # Five full years after the year of the last payment, on the next 1 January.
    storage, name = due.document.storage, due.document.name
    attached = Attachment.objects.get().file
    assert storage.exists(name) and attached.storage.exists(attached.name)
    settings.RETENTION_PROGRAMME_YEARS = 5
    next_year = timezone.now().replace(year=timezone.localdate().year + 6, month=1, day=2)
    last_day = timezone.now().replace(year=timezone.localdate().year + 5, month=12, day=30)
    assert [step.count for step in retention.plan(last_day)[-4:]] == [0, 0, 0, 0]
    assert [step.count for step in retention.plan(next_year)[-4:]] == [1, 1, 0, 0]
    with django_capture_on_commit_callbacks(execute=True):
        retention.apply(next_year)
    due.refresh_from_db()
    assert not due.document and not storage.exists(name)
    assert not Attachment.objects.exists() and not attached.storage.exists(attached.name)
    assert Message.objects.count() == 1
    assert ledger == (
        LedgerEntry.objects.count(),
        LedgerEntry.objects.aggregate(s=Sum("amount"))["s"],
    )


def test_the_readme_section_is_the_table():
    with translation.override("en"):
        table = retention.markdown()
    readme = Path(settings.BASE_DIR, "README.md").read_text()
    section = re.search(r"<!-- retention -->\n(.*?)<!-- /retention -->", readme, re.S)
    assert section is not None, "README.md has no retention section"
    assert section.group(1) == table, "run: manage.py retention --markdown"


def test_the_notice_shows_the_periods_of_the_settings(client, settings):
    settings.RETENTION_SIGN_IN_ATTEMPT_DAYS = 45
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/privaatsus/").content.decode()
    assert "45 days" in page


def test_the_table_is_applied_every_day_by_beat():
    from turvaportaal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == apply_retention.name == "privacy.tasks.apply_retention"
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {3}


def test_signed_containers_and_answer_files_go_with_the_programme_documents(
    participation, ministry, kov_a, settings, django_capture_on_commit_callbacks
):
    from agreements.models import Agreement, Amendment
    from inquiries.models import InformationRequest

    grants.record_disbursement(
        participation=participation,
        amount=Decimal("500.00"),
        entry_on=timezone.localdate(),
        tranche=1,
        user=ministry,
    )
    agreement = Agreement(
        participation=participation,
        number="2.1-3/26/1",
        start_on=participation.start_on,
        end_on=participation.end_on,
        ministry_signatory="Mari Mets",
        municipality_signatory="Jaan Tamm",
        grant_amount=participation.grant_amount,
        container_name="leping.asice",
        signers=[{"name": "JAAN TAMM", "personal_code": "38001085718"}],
    )
    agreement.container.save("leping.asice", ContentFile(b"PK signed"), save=True)
    amendment = Amendment(
        agreement=agreement,
        number=1,
        dated_on=timezone.localdate(),
        changes="Eelarve",
        container_name="muudatus.asice",
    )
    amendment.container.save("muudatus.asice", ContentFile(b"PK signed"), save=True)
    request = InformationRequest.objects.create(
        municipality=participation.municipality,
        budget_change=participation.budget_changes.create(reason="Koolitus", requested_by=kov_a),
        question="Miks?",
        asked_by=ministry,
        attachment_name="selgitus.pdf",
    )
    request.attachment.save("selgitus.pdf", ContentFile(pdf_bytes()), save=True)
    files = [agreement.container, amendment.container, request.attachment]
    assert all(file.storage.exists(file.name) for file in files)

    settings.RETENTION_PROGRAMME_YEARS = 5
    last_day = timezone.now().replace(year=timezone.localdate().year + 5, month=12, day=30)
    next_year = timezone.now().replace(year=timezone.localdate().year + 6, month=1, day=2)
    assert [step.count for step in retention.plan(last_day)[-2:]] == [0, 0]
    assert [step.count for step in retention.plan(next_year)[-2:]] == [1, 1]
    with django_capture_on_commit_callbacks(execute=True):
        retention.apply(next_year)
    agreement.refresh_from_db()
    amendment.refresh_from_db()
    request.refresh_from_db()
    assert not agreement.container and agreement.signers == [] and agreement.number == "2.1-3/26/1"
    assert not amendment.container and not request.attachment
    assert not any(file.storage.exists(file.name) for file in files)
