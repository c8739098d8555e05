"""The check of digitally signed containers (turvaportaal/lib/signatures.py), on real ASiC-E
containers signed with test certificates (tests/agreements/containers.py)."""

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.agreements.containers import (
    CA_CERTIFICATE,
    MIMETYPE,
    entries,
    make_authority,
    make_signer,
    manifest,
    plain_zip,
    rebuilt,
    signed_container,
)
from turvaportaal.lib.signatures import signers_of, validate_signed_container, verify_container

MARI = make_signer()
JAAN = make_signer("JAAN", "TAMM", "37605030299", elliptic=True)
SIGNED_AT = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)


def refusal(content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        verify_container(content)
    return " ".join(caught.value.messages)


def test_accepts_one_signer_and_names_them():
    checked = verify_container(signed_container(MARI, signed_at=SIGNED_AT))
    assert checked.files == ("leping.pdf",)
    [signer] = checked.signers
    assert (signer.name, signer.personal_code, signer.country) == (
        "MARI MÄNNIK",
        "38001085718",
        "EE",
    )
    assert signer.signed_at == SIGNED_AT
    assert signer.issuer == "TEST of ESTEID2018"


def test_accepts_two_signers_rsa_and_elliptic_curve():
    files = {"leping.pdf": b"%PDF-1.4 leping", "lisa 1.pdf": b"%PDF-1.4 eelarve"}
    checked = verify_container(signed_container(MARI, JAAN, files=files))
    assert checked.files == ("leping.pdf", "lisa 1.pdf")
    assert [(s.name, s.personal_code) for s in checked.signers] == [
        ("MARI MÄNNIK", "38001085718"),
        ("JAAN TAMM", "37605030299"),
    ]


def test_signer_survives_the_json_it_is_kept_in():
    checked = verify_container(signed_container(MARI, signed_at=SIGNED_AT))
    assert signers_of(checked.signers_json()) == list(checked.signers)


def test_refuses_a_changed_data_file():
    content = rebuilt(signed_container(MARI), replace={"leping.pdf": b"%PDF-1.4 muudetud"})
    assert refusal(content) == "The file “leping.pdf” has been changed since it was signed."


def test_refuses_a_changed_signature_value():
    content = signed_container(MARI)
    xml = {i.filename: d for i, d in entries(content)}["META-INF/signatures0.xml"]
    value = re.search(rb"<ds:SignatureValue[^>]*>([^<]+)<", xml).group(1)
    raw = bytearray(base64.b64decode(value))
    raw[10] ^= 0xFF
    tampered = xml.replace(value, base64.b64encode(bytes(raw)))
    message = refusal(rebuilt(content, replace={"META-INF/signatures0.xml": tampered}))
    assert message.startswith("The signature META-INF/signatures0.xml does not match what was")


def test_refuses_a_changed_signing_time():
    content = signed_container(MARI, signed_at=SIGNED_AT)
    xml = {i.filename: d for i, d in entries(content)}["META-INF/signatures0.xml"]
    tampered = xml.replace(b"2026-03-02T10:15:00Z", b"2025-03-02T10:15:00Z")
    message = refusal(rebuilt(content, replace={"META-INF/signatures0.xml": tampered}))
    assert (
        message == "The signed properties of META-INF/signatures0.xml were changed after signing."
    )


def test_refuses_a_file_added_after_signing():
    content = rebuilt(
        signed_container(MARI),
        replace={"META-INF/manifest.xml": manifest(["leping.pdf", "lisa.pdf"])},
        add={"lisa.pdf": b"%PDF-1.4 lisa"},
    )
    assert refusal(content) == "The file “lisa.pdf” is in the container but was not signed."


def test_refuses_a_missing_signed_file():
    content = rebuilt(
        signed_container(MARI, files={"leping.pdf": b"%PDF a", "lisa.pdf": b"%PDF b"}),
        drop=("lisa.pdf",),
    )
    assert refusal(content) == "The signed file “lisa.pdf” is missing from the container."


def test_refuses_a_container_without_signatures():
    content = rebuilt(signed_container(MARI), drop=("META-INF/signatures0.xml",))
    assert refusal(content) == "The container has no signatures: it was not signed."


def test_refuses_what_is_not_a_zip():
    assert refusal(b"%PDF-1.4 not a container") == (
        "The file is not a signed container: it is not a ZIP archive (ASiC-E or BDOC)."
    )


def test_refuses_a_wrong_mimetype():
    content = rebuilt(signed_container(MARI), replace={"mimetype": b"application/zip"})
    assert refusal(content) == (
        "The container's type is not ASiC-E or BDOC: its mimetype is “application/zip”."
    )


def test_refuses_a_zip_without_a_mimetype_first():
    content = plain_zip({"leping.pdf": b"x", "mimetype": MIMETYPE.encode()})
    assert "its first file must be “mimetype”" in refusal(content)


def test_refuses_a_compressed_mimetype():
    content = plain_zip({"mimetype": MIMETYPE.encode()}, compress_first=True)
    assert "compressed" in refusal(content)


def test_refuses_a_stale_manifest():
    content = rebuilt(
        signed_container(MARI), replace={"META-INF/manifest.xml": manifest(["muu.pdf"])}
    )
    assert refusal(content) == "The container's manifest does not list the files it holds."


def test_refuses_a_signature_that_is_not_xml():
    content = rebuilt(signed_container(MARI), replace={"META-INF/signatures0.xml": b"<oops"})
    assert refusal(content) == "The signature META-INF/signatures0.xml cannot be read."


def test_refuses_a_certificate_swapped_for_another():
    content = signed_container(MARI)
    xml = {i.filename: d for i, d in entries(content)}["META-INF/signatures0.xml"]
    other = base64.b64encode(JAAN.der)
    tampered = re.sub(rb"(<ds:X509Certificate>)[^<]+", rb"\g<1>" + other, xml)
    message = refusal(rebuilt(content, replace={"META-INF/signatures0.xml": tampered}))
    assert message == "The certificate in META-INF/signatures0.xml is not the one that signed it."


def test_refuses_a_signature_made_outside_the_certificate_validity():
    signer = make_signer(valid_from=datetime.now(UTC) - timedelta(days=10))
    content = signed_container(signer, signed_at=datetime.now(UTC) - timedelta(days=30))
    assert refusal(content) == ("The certificate of MARI MÄNNIK was not valid at the signing time.")


def test_an_upload_must_be_named_as_a_container():
    upload = SimpleUploadedFile("leping.zip", signed_container(MARI))
    with pytest.raises(ValidationError, match="digitally signed container"):
        validate_signed_container(upload)
    for name in ("leping.asice", "LEPING.BDOC"):
        checked = validate_signed_container(SimpleUploadedFile(name, signed_container(MARI)))
        assert checked.signers[0].personal_code == "38001085718"


def _pem_file(tmp_path, *certificates):
    path = tmp_path / "trusted.pem"
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates))
    return str(path)


def test_with_trusted_authorities_a_signer_they_issued_is_accepted(settings, tmp_path):
    _key, other = make_authority(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Other CA")]))
    settings.SIGNATURE_TRUSTED_CA_FILE = _pem_file(tmp_path, other, CA_CERTIFICATE)
    assert verify_container(signed_container(MARI)).signers[0].name == "MARI MÄNNIK"


def test_with_trusted_authorities_a_signer_of_another_issuer_is_refused(settings, tmp_path):
    # An authority of the same name but another key: the name alone does not make it trusted.
    _key, impostor = make_authority()
    settings.SIGNATURE_TRUSTED_CA_FILE = _pem_file(tmp_path, impostor)
    assert refusal(signed_container(MARI)) == (
        "The certificate of MARI MÄNNIK was not issued by a certification authority the "
        "portal trusts."
    )
