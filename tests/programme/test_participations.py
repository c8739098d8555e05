from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from programme.models import Participation

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


def test_the_programme_overview_is_public_and_shows_the_map(client):
    call_command("import_participations", "demo/data/participations.csv", stdout=StringIO())
    response = client.get(reverse("programme_overview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tallinn" in page and 'class="county county-full"' in page
