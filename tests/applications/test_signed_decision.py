"""A council's decision may be signed digitally (.asice or .bdoc): checked as the agreements'
containers are (turvaportaal/lib/signatures.py), its signers on the application's pages."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from tests.agreements.containers import make_signer, rebuilt, signed_container
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

CHAIR = make_signer("TIIT", "KASK", "36802020211")


@pytest.fixture
def draft(kov_a):
    return services.start_application(
        call=CallFactory(), municipality=kov_a.municipality, user=kov_a
    )


def upload(client, draft, name, content):
    return client.post(
        reverse("application_decision", args=[draft.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_a_signed_decision_is_stored_and_shows_its_signer(client_for, kov_a, ministry, draft):
    content = signed_container(
        CHAIR,
        files={"otsus.pdf": b"%PDF-1.4 volikogu otsus"},
        signed_at=datetime(2026, 2, 20, 15, 0, tzinfo=UTC),
    )
    response = upload(client_for(kov_a, "en"), draft, "volikogu-otsus.bdoc", content)
    assert response.status_code == 302
    decision = draft.council_decisions.get()
    assert decision.file.name.endswith(".bdoc")
    assert decision.signer_list[0].personal_code == "36802020211"
    page = client_for(kov_a, "en").get(reverse("application_decision", args=[draft.pk]))
    assert "TIIT KASK (36802020211, EE, " in page.content.decode()
    assert "17:00" in page.content.decode()  # 15:00 UTC in Tallinn in February
    download = client_for(ministry).get(
        reverse("application_decision_download", args=[draft.pk, decision.pk])
    )
    assert download["Content-Type"] == "application/vnd.etsi.asic-e+zip"


def test_a_tampered_signed_decision_is_refused(client_for, kov_a, draft):
    content = rebuilt(signed_container(CHAIR), replace={"leping.pdf": b"%PDF-1.4 teine"})
    response = upload(client_for(kov_a, "en"), draft, "otsus.asice", content)
    assert response.status_code == 200
    assert "has been changed since it was signed" in response.content.decode()
    assert not draft.council_decisions.exists()


def test_another_kind_of_file_is_refused(client_for, kov_a, draft):
    response = upload(client_for(kov_a, "en"), draft, "otsus.docx", b"PK\x03\x04 word")
    assert "or a digitally signed container (.asice, .bdoc)" in response.content.decode()
    assert not draft.council_decisions.exists()
