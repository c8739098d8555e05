"""The main tables for programme staff, as CSV and XLSX, read through the same access rule."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.exports import TABLES
from tests.counselling.conftest import log, make_participation
from turvaportaal.lib.exports import csv_response, spreadsheet_safe, xlsx_response

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_exports_as_csv_and_xlsx(client_for, admin, kov_a, provider, table):
    participation = make_participation(kov_a, provider.service_provider)
    log(participation, provider)
    client = client_for(admin)
    response = client.get(reverse("export_table", args=[table, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(TABLES[table].header)
    if table in ("participations", "counselling"):
        assert rows[1][:2] in (
            ["0668", "Rapla vald"],
            ["Rapla vald", provider.service_provider.name],
        )
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("export_table", args=[table, "xlsx"])).content)
    )
    assert [cell.value for cell in next(workbook.active.iter_rows())] == list(TABLES[table].header)


@pytest.mark.parametrize("persona", ["kov_a", "provider"])
def test_exports_are_for_programme_staff(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("export_list")).status_code == 403
    assert client.get(reverse("export_table", args=["ledger", "csv"])).status_code == 403


def test_an_unknown_table_or_format_is_404(client_for, admin):
    client = client_for(admin)
    assert client.get(reverse("export_table", args=["users", "csv"])).status_code == 404
    assert client.get(reverse("export_table", args=["ledger", "pdf"])).status_code == 404


def test_text_that_looks_like_a_formula_stays_text(client_for, admin, kov_a, provider):
    participation = make_participation(kov_a, provider.service_provider)
    log(participation, provider, summary='=HYPERLINK("http://x", "klikka")')
    content = client_for(admin).get(reverse("export_table", args=["counselling", "xlsx"])).content
    summary = load_workbook(io.BytesIO(content)).active["H2"]
    assert summary.data_type == "s"
    assert summary.value == '=HYPERLINK("http://x", "klikka")'


FORMULAS = [
    '=HYPERLINK("http://x")',
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",  # OWASP: a tab or a carriage return before the formula
    "\r=1+1",
    "\uff1dHYPERLINK(1)",  # full-width ＝, ＋, －, ＠
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
    "\ufe62" + "1",  # small plus sign
    "\ufe63" + "1",  # small hyphen-minus
    "\ufe66" + "1",  # small equals sign
    "\u207a" + "1",  # superscript plus
]


@pytest.mark.parametrize("text", FORMULAS, ids=ascii)
def test_text_that_a_spreadsheet_may_run_gets_an_apostrophe_in_a_csv(text):
    assert spreadsheet_safe(text) == "'" + text
    content = csv_response("x", ["a"], [[text]]).content.decode("utf-8-sig")
    [_header, [cell]] = list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))
    assert cell == "'" + text


@pytest.mark.parametrize(
    "value", ["Rapla vald", "", " =not at the start", "Ülle", "\u2212" + "5", "1 = 1", 5, None]
)
def test_other_text_and_values_are_left_as_they_are(value):
    assert spreadsheet_safe(value) == value


def test_a_moment_is_written_as_the_clock_in_estonia_showed_it():
    # 22:30 UTC on New Year's Eve is half past midnight of New Year's Day in Tallinn (UTC+2).
    moment = datetime(2025, 12, 31, 22, 30, tzinfo=UTC)
    rows = [["Rapla vald", moment]]
    text = csv_response("moments", ["Name", "Submitted"], rows).content.decode("utf-8-sig")
    assert text.splitlines()[1] == "Rapla vald;2026-01-01 00:30"
    workbook = load_workbook(
        io.BytesIO(xlsx_response("moments", ["Name", "Submitted"], rows).content)
    )
    assert workbook.active["B2"].value == datetime(2026, 1, 1, 0, 30)  # noqa: DTZ001 (a spreadsheet keeps no zone)
    assert workbook.active["B2"].number_format == "dd.mm.yyyy hh:mm"
