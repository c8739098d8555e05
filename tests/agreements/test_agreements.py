"""The partnership agreement: the ministry draws it up, stores the signed container (checked,
its signers shown), and amends it; the municipality and its provider read it."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, Amendment
from audit.models import Action, AuditEvent
from notifications.models import Kind, Notification
from tests.agreements.containers import make_signer, rebuilt, signed_container
from tests.counselling.conftest import make_participation

pytestmark = pytest.mark.django_db

MARI = make_signer()
JAAN = make_signer("JAAN", "TAMM", "37605030299", elliptic=True)
# 10:15 UTC is 12:15 in Tallinn in March (EET, +2).
SIGNED_AT = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)

TERMS = {
    "number": "2.1-3/26/114",
    "signed_on": "",
    "start_on": "2026-01-01",
    "end_on": "2027-12-31",
    "ministry_name": "Siseministeerium",
    "ministry_signatory": "Mari Mets, kantsler",
    "municipality_signatory": "Jaan Tamm, vallavanem",
    "grant_amount": "35000.00",
    "flexible_share": "15",
}


@pytest.fixture
def participation(kov_a, provider):
    return make_participation(kov_a, provider.service_provider)


@pytest.fixture
def agreement(participation, ministry):
    return services.save_agreement(
        participation=participation,
        user=ministry,
        terms={
            "number": "2.1-3/26/114",
            "start_on": date(2026, 1, 1),
            "end_on": date(2027, 12, 31),
            "ministry_signatory": "Mari Mets, kantsler",
            "municipality_signatory": "Jaan Tamm, vallavanem",
            "grant_amount": Decimal("35000.00"),
        },
    )


def container(name="leping.asice", content=None):
    return SimpleUploadedFile(name, content or signed_container(MARI, JAAN, signed_at=SIGNED_AT))


def test_the_form_starts_from_the_participation(client_for, ministry, participation):
    response = client_for(ministry, "en").get(reverse("agreement_edit", args=[participation.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["grant_amount"].value() == participation.grant_amount
    assert form["flexible_share"].value() == Decimal("10.00")
    assert form["start_on"].value() == participation.start_on


def test_ministry_draws_up_the_agreement(client_for, ministry, participation):
    client = client_for(ministry, "en")
    response = client.post(reverse("agreement_edit", args=[participation.pk]), TERMS)
    assert response.status_code == 302
    agreement = Agreement.objects.get(participation=participation)
    assert agreement.flexible_share == Decimal("15.00")
    assert agreement.grant_amount == Decimal("35000.00")
    assert agreement.signed_on is None
    event = AuditEvent.objects.about(agreement).get()
    assert event.detail == "partnership agreement drawn up"
    assert event.after["number"] == "2.1-3/26/114"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("flexible_share", "101", "Ensure this value is less than or equal to 100."),
        ("flexible_share", "-1", "Ensure this value is greater than or equal to 0."),
        ("end_on", "2025-12-31", "The end date must be after the start date."),
        ("grant_amount", "palju", "Enter the amount as a number, e.g. 35000.00."),
    ],
)
def test_a_wrong_term_is_refused_and_nothing_typed_is_lost(
    client_for, ministry, participation, field, value, message
):
    client = client_for(ministry, "en")
    response = client.post(
        reverse("agreement_edit", args=[participation.pk]), TERMS | {field: value}
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert "There is a problem" in response.content.decode()
    assert response.context["form"]["municipality_signatory"].value() == "Jaan Tamm, vallavanem"
    assert not Agreement.objects.exists()


def test_a_number_in_use_is_refused(client_for, ministry, participation, kov_b):
    other = make_participation(kov_b)
    services.save_agreement(
        participation=other,
        user=ministry,
        terms={k: v for k, v in TERMS.items() if k != "signed_on"}
        | {
            "start_on": date(2026, 1, 1),
            "end_on": date(2027, 1, 1),
            "grant_amount": Decimal("1"),
            "flexible_share": Decimal("10"),
        },
    )
    response = client_for(ministry, "en").post(
        reverse("agreement_edit", args=[participation.pk]), TERMS
    )
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["number"][0]


def test_the_municipality_and_its_provider_read_but_do_not_edit(
    client_for, kov_a, provider, kov_b, agreement
):
    url = reverse("agreement", args=[agreement.participation_id])
    for reader in (kov_a, provider):
        client = client_for(reader, "en")
        page = client.get(url)
        assert page.status_code == 200
        assert "2.1-3/26/114" in page.content.decode()
        assert "Change the terms" not in page.content.decode()
        edit = client.post(reverse("agreement_edit", args=[agreement.participation_id]), TERMS)
        assert edit.status_code == 403
    assert client_for(kov_b, "en").get(url).status_code == 404


def test_storing_the_signed_agreement_shows_the_signers_and_tells_the_municipality(
    client_for, ministry, kov_a, agreement, django_capture_on_commit_callbacks
):
    client = client_for(ministry, "en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agreement_upload", args=[agreement.participation_id]),
            {"file": container()},
        )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.is_signed
    assert agreement.signed_on == date(2026, 3, 2)
    assert [s["personal_code"] for s in agreement.signers] == ["38001085718", "37605030299"]
    page = client.get(reverse("agreement", args=[agreement.participation_id])).content.decode()
    assert "MARI MÄNNIK" in page and "JAAN TAMM" in page
    assert "38001085718 (EE)" in page
    assert "12:15" in page  # Estonian time
    notice = Notification.objects.get(recipient=kov_a, kind=Kind.AGREEMENT_SIGNED)
    assert notice.link == reverse("agreement", args=[agreement.participation_id])
    assert any(kov_a.email in message.to for message in mail.outbox)
    upload = AuditEvent.objects.about(agreement).get(action=Action.UPLOAD)
    assert upload.after["signers"][0]["name"] == "MARI MÄNNIK"
    download = client_for(kov_a).get(
        reverse("agreement_download", args=[agreement.participation_id])
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.etsi.asic-e+zip"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "leping.asice",
            rebuilt(signed_container(MARI), replace={"leping.pdf": b"%PDF-1.4 muudetud"}),
            "has been changed since it was signed",
        ),
        ("leping.bdoc", b"%PDF-1.4 not a container", "it is not a ZIP archive"),
        ("leping.pdf", signed_container(MARI), "digitally signed container (.asice or .bdoc)"),
    ],
)
def test_a_bad_container_is_refused_with_the_reason(
    client_for, ministry, kov_a, agreement, name, content, message
):
    response = client_for(ministry, "en").post(
        reverse("agreement_upload", args=[agreement.participation_id]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    agreement.refresh_from_db()
    assert not agreement.is_signed
    assert not Notification.objects.filter(kind=Kind.AGREEMENT_SIGNED).exists()


def test_the_refusal_is_in_the_users_language(client_for, ministry, agreement):
    response = client_for(ministry, "et").post(
        reverse("agreement_upload", args=[agreement.participation_id]),
        {"file": SimpleUploadedFile("leping.asice", b"not a zip")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_signed_agreement_changes_only_by_amendment(client_for, ministry, agreement):
    services.store_signed_agreement(agreement=agreement, uploaded_file=container(), user=ministry)
    client = client_for(ministry, "en")
    response = client.post(reverse("agreement_edit", args=[agreement.participation_id]), TERMS)
    assert response.status_code == 200
    assert "it changes only by an amendment" in response.content.decode()
    again = client.post(
        reverse("agreement_upload", args=[agreement.participation_id]), {"file": container()}
    )
    assert "stored already" in again.content.decode()


def test_an_amendment_is_numbered_and_shows_its_signers(client_for, ministry, kov_a, agreement):
    client = client_for(ministry, "en")
    url = reverse("agreement_amend", args=[agreement.participation_id])
    before = client.post(url, {"dated_on": "2026-06-01", "changes": "x", "file": container()})
    assert "once its signed copy is stored" in before.content.decode()
    services.store_signed_agreement(agreement=agreement, uploaded_file=container(), user=ministry)
    for number in (1, 2):
        response = client.post(
            url,
            {
                "dated_on": "2026-06-01",
                "changes": f"Eelarve muudatus {number}",
                "file": container(f"muudatus{number}.bdoc", signed_container(JAAN)),
            },
        )
        assert response.status_code == 302
    assert list(agreement.amendments.values_list("number", flat=True)) == [1, 2]
    amendment = agreement.amendments.get(number=2)
    assert amendment.signer_list[0].name == "JAAN TAMM"
    assert AuditEvent.objects.about(amendment).get().action == Action.UPLOAD
    page = client_for(kov_a, "en").get(reverse("agreement", args=[agreement.participation_id]))
    assert "Eelarve muudatus 2" in page.content.decode()
    download = client_for(kov_a).get(
        reverse("amendment_download", args=[agreement.participation_id, amendment.pk])
    )
    assert download.status_code == 200


def test_an_amendment_with_a_broken_container_keeps_what_was_typed(client_for, ministry, agreement):
    services.store_signed_agreement(agreement=agreement, uploaded_file=container(), user=ministry)
    response = client_for(ministry, "en").post(
        reverse("agreement_amend", args=[agreement.participation_id]),
        {
            "dated_on": "2026-06-01",
            "changes": "Eelarve muudatus",
            "file": container("m.asice", rebuilt(signed_container(JAAN), drop=("leping.pdf",))),
        },
    )
    assert response.status_code == 200
    assert "missing from the container" in response.content.decode()
    assert response.context["form"]["changes"].value() == "Eelarve muudatus"
    assert not Amendment.objects.exists()


def test_the_municipality_page_links_the_agreement(client_for, kov_a, participation):
    page = client_for(kov_a, "en").get(
        reverse("municipality_detail", args=[participation.municipality.ehak_code])
    )
    assert reverse("agreement", args=[participation.pk]) in page.content.decode()
