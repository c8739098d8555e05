"""The selection page's county map after the confirmation: in the programme are the
participations alone, never the applicants left out; checked against plain SQL."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications import evaluation
from applications.models import Status
from programme.models import Cohort, Municipality, Participation
from tests.factories import CallFactory, scored, under_evaluation

pytestmark = pytest.mark.django_db

HARJU, RAPLA, SAARE, TARTU = "0037", "0071", "0074", "0079"
RESULTS = {
    "Tallinn": 5,
    "Keila linn": 4,
    "Harku vald": 3,  # Harju's two places go to Tallinn and Keila
    "Rapla vald": 4,
    "Elva vald": 2,  # the three places are filled
}


@pytest.fixture
def confirmed(ministry):
    call = CallFactory(
        opens_at=timezone.now() - timedelta(days=60),
        deadline_at=timezone.now() - timedelta(days=1),
        years={2027: 3},
    )
    Participation.objects.create(
        municipality=Municipality.objects.get(name="Saaremaa vald"),
        cohort=Cohort.objects.create(stage=1, start_year=2023),
        start_on=date(2023, 7, 1),
        end_on=date(2025, 6, 30),
        source=Participation.Source.IMPORT,
    )
    for name, result in RESULTS.items():
        scored(under_evaluation(call, Municipality.objects.get(name=name)), ministry, result)
    evaluation.confirm_selection(call=call, start_years={}, reasons={}, user=ministry)
    return call


def in_the_programme_in_sql() -> dict[str, list[str]]:
    """The municipalities with a participation, by county, from the tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.ehak_code, m.name FROM programme_participation p
            JOIN programme_municipality m ON m.id = p.municipality_id
            JOIN programme_county c ON c.id = m.county_id
            ORDER BY m.name
            """
        )
        names: dict[str, list[str]] = {}
        for code, name in cursor.fetchall():
            names.setdefault(code, []).append(name)
    return names


def limits_in_sql() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ehak_code, participant_limit FROM programme_county")
        return dict(cursor.fetchall())


def test_only_the_selected_are_in_the_programme_after_the_confirmation(
    client_for, ministry, confirmed
):
    response = client_for(ministry, "en").get(reverse("selection", args=[confirmed.pk]))
    assert "Confirmed selection" in response.content.decode()
    tiles = {tile.ehak_code: tile for tile in response.context["tiles"]}
    names = in_the_programme_in_sql()
    limits = limits_in_sql()
    assert {code: list(tile.participants) for code, tile in tiles.items() if tile.participants} == (
        names
    )
    assert {code: tile.free_places for code, tile in tiles.items()} == {
        code: max(limit - len(names.get(code, [])), 0) for code, limit in limits.items()
    }
    assert names[HARJU] == ["Keila linn", "Tallinn"] and names[RAPLA] == ["Rapla vald"]
    left_out = {"Harku vald", "Elva vald"}
    assert not left_out & {name for tile in tiles.values() for name in tile.participants}
    # They applied to this call, and the ministry sees who did.
    assert tiles[HARJU].applications == 3 and "Harku vald" in tiles[HARJU].applicants
    assert tiles[TARTU].applicants == ("Elva vald",) and tiles[TARTU].status == "applied"
    assert tiles[SAARE].participants == ("Saaremaa vald",) and tiles[SAARE].applications == 0

    # The page says the same in its table: the column "In the programme" names the selected.
    page = response.content.decode()
    for code, expected in [(HARJU, "Keila linn, Tallinn"), (TARTU, "—"), (RAPLA, "Rapla vald")]:
        row = re.search(
            rf'<tr data-county="{code}"><th scope="row">[^<]*</th><td>([^<]*)</td>', page
        )
        assert row[1] == expected
    assert "Harku vald" in page  # in the decisions and as an applicant, not a participant
    statuses = set(confirmed.applications.values_list("status", flat=True))
    assert statuses == {Status.SELECTED, Status.NOT_SELECTED}
