"""Tables as CSV and XLSX downloads, with the same rows and totals as the pages show."""

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone

# What a spreadsheet may read as the start of a formula: =, +, - and @, and a tab or a carriage
# return before one (OWASP's list for CSV injection).
FORMULA_STARTS = frozenset("=+-@\t\r")


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula is kept as text, with a leading apostrophe.
    The first character counts as its plain form (NFKC): a full-width ＝ or a small ﹢, which
    spreadsheets may take for = and +, is caught as well."""
    if isinstance(value, str) and unicodedata.normalize("NFKC", value[:1])[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def in_tallinn(value: object) -> object:
    """A moment as the wall clock in Estonia showed it (TIME_ZONE), without the zone: the
    workbook's and the CSV's readers are in Estonia, and a spreadsheet keeps no time zones."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def csv_cell(value: object) -> object:
    value = in_tallinn(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return spreadsheet_safe(value)


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 (õ, ä, ö, ü) only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return response


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_workbook_response(
    filename: str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[object]]]]
) -> HttpResponse:
    """A workbook of several sheets: (title, header, rows) each, written row by row. Text is
    always text: a cell never becomes a formula or a link, whatever it starts with."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "dd.mm.yyyy",
        },
    )
    bold = workbook.add_format({"bold": True})
    moment = workbook.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    for title, header, rows in sheets:
        sheet = workbook.add_worksheet(title[:31])
        sheet.write_row(0, 0, header, bold)
        for number, row in enumerate(rows, 1):
            for column, value in enumerate(row):
                value = in_tallinn(value)
                if isinstance(value, datetime):
                    sheet.write_datetime(number, column, value, moment)
                else:
                    sheet.write(number, column, value)
    workbook.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    return xlsx_workbook_response(filename, [(filename, header, rows)])
