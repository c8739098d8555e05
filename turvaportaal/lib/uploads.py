"""Checks for uploaded documents: by content, never by the name the browser sent."""

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
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
