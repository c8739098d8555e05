"""Checks for uploaded documents: by content, never by the name the browser sent."""

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader


def validate_size(uploaded: UploadedFile) -> None:
    if uploaded.size is not None and uploaded.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
            }
        )


def validate_pdf(uploaded: UploadedFile) -> None:
    """Accept only a real PDF within the size limit: the header and a document pypdf can read."""
    validate_size(uploaded)
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
    """A supporting document: a real PDF, or a PNG or JPEG image, within the size limit."""
    validate_size(uploaded)
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        validate_pdf(uploaded)
        return
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


def attachment(file: FieldFile, filename: str, content_type: str | None = None) -> FileResponse:
    """A stored file sent the only way files leave the portal: as a download, never rendered
    by the browser (nosniff); a file missing from the store is a 404."""
    try:
        stream = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        stream, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
