"""Checks for uploaded files: the name's extension must be on the allow-list and the content
must be what the extension says. A file is stored under a generated name with the suffix of its
content, and sent back with the content type of that suffix, never of the name a browser sent."""

import hashlib
import io
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader

# A document's content (its format as Pillow names it, or PDF) by the extensions it may carry.
DOCUMENT_EXTENSIONS = {".pdf": "PDF", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
# What a stored file is sent as, by the suffix it was stored under.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    # Digitally signed containers (turvaportaal.lib.signatures), opened with DigiDoc4.
    ".asice": "application/vnd.etsi.asic-e+zip",
    ".bdoc": "application/vnd.etsi.asic-e+zip",
}


def _extension(uploaded: UploadedFile) -> str:
    return PurePath(uploaded.name or "").suffix.lower()


def _head(uploaded: UploadedFile) -> bytes:
    """The first bytes, where a format's signature is; the file is left at its start."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    return head


def validate_size(uploaded: UploadedFile) -> None:
    if uploaded.size is not None and uploaded.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
            }
        )


def validate_csv(uploaded: UploadedFile) -> None:
    """A CSV import: named .csv and within the size limit, checked before it is read."""
    if _extension(uploaded) != ".csv":
        raise ValidationError(_("Only a CSV file (.csv) is accepted."))
    validate_size(uploaded)


def validate_pdf(uploaded: UploadedFile) -> None:
    """Accept only a real PDF within the size limit, named .pdf."""
    validate_size(uploaded)
    if _extension(uploaded) != ".pdf":
        raise ValidationError(_("Only a PDF file (.pdf) is accepted."))
    validate_pdf_content(uploaded)


def validate_pdf_content(uploaded: UploadedFile) -> None:
    """The PDF header and a document pypdf can read, with pages."""
    uploaded.seek(0)
    content = uploaded.read()
    uploaded.seek(0)
    if not content.startswith(b"%PDF-"):
        raise ValidationError(_("The file is not a PDF document."))
    try:
        page_count = len(PdfReader(io.BytesIO(content)).pages)
    except Exception as error:  # noqa: BLE001 (a damaged file breaks pypdf in many ways)
        raise ValidationError(_("The PDF file is damaged and cannot be read.")) from error
    if page_count == 0:
        raise ValidationError(_("The PDF document has no pages."))


def sha256_of(uploaded: UploadedFile) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def validate_document(uploaded: UploadedFile) -> None:
    """A supporting document: a real PDF, or a PNG or JPEG image, within the size limit and
    named as what it is."""
    validate_size(uploaded)
    named = DOCUMENT_EXTENSIONS.get(_extension(uploaded))
    if named is None:
        raise ValidationError(_("Only PDF, PNG and JPEG files (.pdf, .png, .jpg) are accepted."))
    kind = _document_kind(uploaded)
    if kind != named:
        raise ValidationError(
            _("The file is named as a %(named)s but is a %(kind)s.")
            % {"named": named, "kind": kind}
        )


def _document_kind(uploaded: UploadedFile) -> str:
    """PDF, PNG or JPEG, by the content; anything else is refused."""
    if _head(uploaded).startswith(b"%PDF-"):
        validate_pdf_content(uploaded)
        return "PDF"
    try:
        with Image.open(uploaded) as image:
            image.verify()
            kind = image.format
    except Exception as error:  # noqa: BLE001 (any failure to read means it is no image)
        raise ValidationError(_("The file is neither a PDF nor a PNG or JPEG image.")) from error
    finally:
        uploaded.seek(0)
    if kind not in ("PNG", "JPEG"):
        raise ValidationError(_("The file is neither a PDF nor a PNG or JPEG image."))
    return str(kind)


def document_suffix(uploaded: UploadedFile) -> str:
    """The suffix a document that validate_document accepted is stored under: its content's."""
    head = _head(uploaded)
    if head.startswith(b"%PDF-"):
        return ".pdf"
    return ".png" if head.startswith(b"\x89PNG") else ".jpg"


def generated_path(folder: str, filename: str) -> str:
    """For a model's upload_to: a generated name in the folder with the suffix of the name the
    portal saves the file under (document_suffix), never the name a browser sent."""
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class StoredFileRedirect(HttpResponseRedirect):
    """A download handed to the object store: a redirect to a signed address that is valid for
    a minute and makes the store send the file as an attachment of its checked type."""

    def __init__(self, url: str, filename: str) -> None:
        super().__init__(url)
        self.filename = filename
        self["X-Content-Type-Options"] = "nosniff"


def attachment(file: FieldFile, filename: str) -> FileResponse | StoredFileRedirect:
    """A stored file sent the only way files leave the portal: as a download, never rendered
    by the browser (nosniff), its type that of its stored (checked) suffix; a file missing from
    the store is a 404. From object storage it is streamed through the portal, or, with
    S3_PRESIGNED_DOWNLOADS, fetched by the browser at a signed address valid for a minute."""
    if not file.name:
        raise Http404
    content_type = CONTENT_TYPES.get(PurePath(file.name).suffix, "application/octet-stream")
    if settings.S3_BUCKET and settings.S3_PRESIGNED_DOWNLOADS:
        if not file.storage.exists(file.name):
            raise Http404
        disposition = content_disposition_header(as_attachment=True, filename=filename)
        storage: Any = file.storage  # S3Storage, whose url() takes the response's headers
        url = storage.url(
            file.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
        )
        return StoredFileRedirect(url, filename)
    try:
        stream = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        stream, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
