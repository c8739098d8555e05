"""Reading a CSV file a user uploaded: UTF-8 (with or without BOM), comma or semicolon."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from turvaportaal.lib.uploads import validate_csv


def read_csv(uploaded: UploadedFile, columns: list[str]) -> list[dict[str, str]]:
    """The rows of the file, refused as a whole if it is not a CSV with the given columns (or
    is too large to read)."""
    validate_csv(uploaded)
    try:
        text = uploaded.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The file is not a UTF-8 CSV file.")) from error
    if not text.strip():
        raise ValidationError(_("The file is empty."))
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    try:
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        rows = list(reader)
    except csv.Error as error:
        raise ValidationError(_("The file is not a readable CSV file.")) from error
    missing = [column for column in columns if column not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    return rows
