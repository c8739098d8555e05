"""Uploaded files: the name's extension is on the allow-list and agrees with the content, the size
is capped, the stored name is generated, and a download's type is that of the checked content."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from tests.factories import pdf_bytes
from turvaportaal.lib.csvfile import read_csv
from turvaportaal.lib.uploads import (
    document_suffix,
    generated_path,
    validate_document,
    validate_pdf,
)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format=kind)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The content type a browser sends is the browser's word: it is never looked at.
    return SimpleUploadedFile(name, content, "application/octet-stream")


@pytest.mark.parametrize(
    ("name", "kind", "suffix"),
    [
        ("arve.pdf", "PDF", ".pdf"),
        ("ARVE.PDF", "PDF", ".pdf"),
        ("skeem.png", "PNG", ".png"),
        ("foto.jpg", "JPEG", ".jpg"),
        ("foto.jpeg", "JPEG", ".jpg"),
    ],
)
def test_a_document_named_as_what_it_is_is_accepted(name, kind, suffix):
    document = upload(name, pdf_bytes() if kind == "PDF" else image(kind))
    validate_document(document)
    assert document_suffix(document) == suffix


@pytest.mark.parametrize("name", ["arve.html", "arve.exe", "arve.svg", "arve", "arve.pdf.js"])
def test_a_document_with_an_extension_off_the_list_is_refused_whatever_it_holds(name):
    with pytest.raises(ValidationError, match=r"Only PDF, PNG and JPEG files"):
        validate_document(upload(name, pdf_bytes()))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("arve.pdf", image("PNG"), "named as a PDF but is a PNG"),
        ("foto.png", pdf_bytes(), "named as a PNG but is a PDF"),
        ("foto.jpg", image("PNG"), "named as a JPEG but is a PNG"),
        ("foto.png", image("GIF"), "neither a PDF nor a PNG or JPEG image"),
        ("arve.pdf", b"<html><script>alert(1)</script></html>", "neither a PDF"),
    ],
)
def test_a_document_whose_content_is_not_what_its_name_says_is_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_document(upload(name, content))


def test_a_pdf_must_be_named_pdf(settings):
    validate_pdf(upload("otsus.pdf", pdf_bytes()))
    with pytest.raises(ValidationError, match=r"Only a PDF file \(\.pdf\)"):
        validate_pdf(upload("otsus.png", pdf_bytes()))


def test_a_document_over_the_size_cap_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="the limit is 100"):
        validate_document(upload("arve.pdf", pdf_bytes() + b" " * 100))


def test_a_stored_name_is_generated_and_keeps_only_the_checked_suffix():
    path = generated_path("ledger/7", "document.pdf")
    assert re.fullmatch(r"ledger/7/[0-9a-f]{32}\.pdf", path)
    assert generated_path("ledger/7", "document.pdf") != path


class TestCsv:
    def test_a_csv_file_is_read(self):
        assert read_csv(upload("m.csv", b"a;b\n1;2\n"), ["a", "b"]) == [{"a": "1", "b": "2"}]

    @pytest.mark.parametrize("name", ["m.xlsx", "m.txt", "m.csv.exe"])
    def test_another_extension_is_refused(self, name):
        with pytest.raises(ValidationError, match=r"Only a CSV file"):
            read_csv(upload(name, b"a,b\n1,2\n"), ["a", "b"])

    def test_a_file_over_the_size_cap_is_refused_before_it_is_read(self, settings):
        settings.MAX_UPLOAD_BYTES = 10
        with pytest.raises(ValidationError, match="the limit is 10"):
            read_csv(upload("m.csv", b"a,b\n" + b"1,2\n" * 10), ["a", "b"])
