from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from programme import services
from programme.models import Participation
from turvaportaal.lib.rules import Forbidden

pytestmark = pytest.mark.django_db

CSV = """ehak_code,stage,start_year,start_on,end_on,grant_amount
0784,I,2023,2023-03-01,2025-02-28,35000.00
0511,I,2023,2023-03-01,2025-02-28,35000
0321,I,2024,2024-01-01,2025-12-31,35000
0736,I,2024,2024-01-01,2025-12-31,35000
9999,I,2024,2024-01-01,2025-12-31,35000
0668,III,2024,2024-01-01,2025-12-31,35000
0171,I,2024,2024-13-01,2025-12-31,35000
0897,I,2024,2024-01-01,2023-12-31,35000
0784,I,2023,2023-03-01,2025-02-28,35000
"""


def test_the_import_page_takes_in_good_rows_and_says_why_others_are_refused(client_for, ministry):
    response = client_for(ministry, "en").post(
        reverse("participation_list"), {"file": SimpleUploadedFile("osalused.csv", CSV.encode())}
    )
    report = {row.line: row for row in response.context["report"]}
    assert [report[line].refused for line in (2, 3, 4)] == ["", "", ""]  # Tallinn, Narva, K-Järve
    assert report[5].refused == "Ida-Viru maakond already has its 2 participant(s)."
    assert report[6].refused == "Unknown EHAK code 9999."
    assert report[7].refused == "The stage must be I or II."
    assert report[8].refused == "start_on is not a date (YYYY-MM-DD)."
    assert report[9].refused == "The end date must be after the start date."
    assert report[10].refused == "Already takes part in the programme."
    assert Participation.objects.count() == 3
    tallinn = Participation.objects.get(municipality__name="Tallinn")
    assert tallinn.cohort.start_year == 2023 and tallinn.source == "import"


def test_the_command_imports_the_same_file(tmp_path):
    path = tmp_path / "osalused.csv"
    path.write_text(CSV, encoding="utf-8")
    out = StringIO()
    call_command("import_participations", str(path), stdout=out)
    assert "3 imported, 6 refused" in out.getvalue()


def test_only_ministry_staff_see_and_import_participations(client_for, kov_a, provider):
    for user in (kov_a, provider):
        assert client_for(user).get(reverse("participation_list")).status_code == 403


HEADER = "ehak_code,stage,start_year,start_on,end_on,grant_amount\n"
YEARS = "Give a date between the years 2000 and 2100."
DIGITS = "has more digits than the column holds: at most 8 before the decimal point and 2 after."


def import_file(client, text: str):
    return client.post(
        reverse("participation_list"),
        {"file": SimpleUploadedFile("osalused.csv", (HEADER + text).encode())},
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        # Year 1 would be saved and then break every page that counts from it.
        ("I,2023,0001-01-01,2025-02-28,35000", f"start_on: {YEARS}"),
        ("I,2023,2023-03-01,9999-12-31,35000", f"end_on: {YEARS}"),
        ("I,2101,2023-03-01,2025-02-28,35000", "The start year must be between 2000 and 2100."),
        ("I,2023,2023-03-01,2025-02-28,123456789", f"The grant 123456789 {DIGITS}"),
        ("I,2023,2023-03-01,2025-02-28,35000.001", f"The grant 35000.001 {DIGITS}"),
        ("I,2023,2023-03-01,2025-02-28,1e400", f"The grant 1e400 {DIGITS}"),
        ("I,2023,2023-03-01,2025-02-28,-5", "The grant must be more than zero."),
        ("I,2023,2023-03-01,2025-02-28,NaN", "The grant is not an amount in euros."),
        ("I,2023,2023-03-01,2025-02-28,Infinity", "The grant is not an amount in euros."),
    ],
)
def test_a_value_the_column_cannot_hold_is_refused_with_its_reason(
    client_for, ministry, row, message
):
    response = import_file(
        client_for(ministry, "en"), f"0784,{row}\n0511,I,2023,2023-03-01,2025-02-28,35000\n"
    )
    assert response.status_code == 200
    tallinn, narva = response.context["report"]
    assert tallinn.refused == message
    assert narva.refused == ""  # the good rows of the file are still taken in
    assert list(Participation.objects.values_list("municipality__name", flat=True)) == [
        "Narva linn"
    ]
    # The page lists what was taken in: nothing out of range was saved to break it.
    assert client_for(ministry).get(reverse("participation_list")).status_code == 200


def test_every_fault_of_a_row_is_told_at_once(client_for, ministry):
    response = import_file(client_for(ministry, "en"), "0784,III,x,0001-01-01,eile,1e400\n")
    [row] = response.context["report"]
    assert row.refused == " ".join(
        [
            "The stage must be I or II.",
            "The start year is not a number.",
            f"start_on: {YEARS}",
            "end_on is not a date (YYYY-MM-DD).",
            f"The grant 1e400 {DIGITS}",
        ]
    )


def test_an_amount_with_trailing_zeros_is_the_same_amount(client_for, ministry):
    import_file(client_for(ministry, "en"), "0784,I,2023,2023-03-01,2025-02-28,35000.000\n")
    assert str(Participation.objects.get().grant_amount) == "35000.00"


def test_only_the_ministry_imports_even_through_the_service(kov_a, ministry):
    values = ["0784", "I", "2023", "2023-03-01", "2025-02-28", "35000"]
    row = dict(zip(services.PARTICIPATION_COLUMNS, values, strict=True))
    with (
        translation.override("en"),
        pytest.raises(Forbidden, match="Only the ministry takes in participations"),
    ):
        services.import_participations([row], user=kov_a)
    assert not Participation.objects.exists()
    [imported] = services.import_participations([row], user=ministry)
    assert imported.refused == ""


def test_the_programme_overview_is_public_and_shows_the_map(client):
    call_command("import_participations", "demo/data/participations.csv", stdout=StringIO())
    response = client.get(reverse("programme_overview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tallinn" in page and 'class="county county-full"' in page
