"""The public county map: each county's participants, the places its limit leaves free and the
applications in the current call, as colour and as text, checked against plain SQL."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Status
from programme.models import Cohort, Municipality, Participation
from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db

HARJU, IDA_VIRU, RAPLA, TARTU, VORU = "0037", "0045", "0071", "0079", "0087"


@pytest.fixture
def programme():
    cohort = Cohort.objects.create(stage=1, start_year=2024)
    for name in ["Tallinn", "Narva linn", "Kohtla-Järve linn", "Rapla vald"]:
        Participation.objects.create(
            municipality=Municipality.objects.get(name=name),
            cohort=cohort,
            start_on=date(2024, 1, 1),
            end_on=date(2025, 12, 31),
            source=Participation.Source.IMPORT,
        )
    current = CallFactory(title="II etapp")
    for name in ["Keila linn", "Tartu linn", "Rapla vald"]:
        ApplicationFactory(
            call=current, municipality=Municipality.objects.get(name=name), status=Status.SUBMITTED
        )
    ApplicationFactory(call=current, municipality=Municipality.objects.get(name="Elva vald"))
    earlier = CallFactory(
        title="I etapp",
        opens_at=timezone.now() - timedelta(days=900),
        deadline_at=timezone.now() - timedelta(days=800),
    )
    ApplicationFactory(
        call=earlier, municipality=Municipality.objects.get(name="Võru linn"), status="selected"
    )
    return current


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def figures_in_sql(call_id: int) -> dict[str, tuple[int, int, int]]:
    """(participants, free places, applications in the call) by county, from the tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.ehak_code, c.participant_limit,
                (SELECT COUNT(*) FROM programme_participation p
                    JOIN programme_municipality m ON m.id = p.municipality_id
                    WHERE m.county_id = c.id),
                (SELECT COUNT(*) FROM applications_application a
                    JOIN programme_municipality m ON m.id = a.municipality_id
                    WHERE m.county_id = c.id AND a.call_id = %s AND a.status <> 'draft')
            FROM programme_county c
            """,
            [call_id],
        )
        return {
            code: (taking_part, max(limit - taking_part, 0), applied)
            for code, limit, taking_part, applied in cursor.fetchall()
        }


def table_rows(page: str) -> dict[str, tuple[int, int, int]]:
    """The figures the page prints in the map's table: names counted, numbers read."""
    rows = re.findall(
        r'<tr data-county="(\d{4})"><th scope="row">[^<]*</th><td>([^<]*)</td>'
        r'<td class="text-end">(\d+)</td><td>(\d+)',
        page,
    )
    return {
        code: (0 if names == "—" else len(names.split(", ")), int(free), int(applied))
        for code, names, free, applied in rows
    }


def test_the_map_shows_participants_free_places_and_the_current_calls_applications(
    client, programme
):
    response = english(client).get(reverse("programme_overview"))
    tiles = {tile.ehak_code: tile for tile in response.context["tiles"]}
    expected = figures_in_sql(programme.pk)
    assert len(tiles) == len(expected) == 15
    assert {
        code: (len(tile.participants), tile.free_places, tile.applications)
        for code, tile in tiles.items()
    } == expected
    assert table_rows(response.content.decode()) == expected
    assert tiles[HARJU].participants == ("Tallinn",)
    # The colour says whether a place is free and applied for; not every county is the same.
    assert {code: tiles[code].status for code in [HARJU, IDA_VIRU, RAPLA, TARTU, VORU]} == {
        HARJU: "applied",  # one of two places free, Keila applied
        IDA_VIRU: "full",
        RAPLA: "full",  # Rapla vald takes part, its application notwithstanding
        TARTU: "applied",
        VORU: "free",  # only an earlier call's application
    }


def tile_markup(page: str, label: str) -> str:
    [tile] = [g for g in page.split('<g class="county ')[1:] if f">{label}</text>" in g]
    return tile.split("</g>")[0]


def test_the_figures_are_written_on_the_tiles_and_explained_by_a_legend(client, programme):
    page = english(client).get(reverse("programme_overview")).content.decode()
    harju = tile_markup(page, "Harju")
    assert harju.startswith('county-applied"')
    for figure in ["1 participant", "1 free place", "1 application"]:
        assert f">{figure}</text>" in harju
    ida_viru = tile_markup(page, "Ida-Viru")
    assert ida_viru.startswith('county-full"')
    for figure in ["2 participants", "0 free places", "0 applications"]:
        assert f">{figure}</text>" in ida_viru
    assert "Participating municipalities" in page  # in English
    for key in ["no free places", "places free, applications in the call", "places free, no"]:
        assert key in page
    # The public map names the participants, never who applied.
    assert "Tallinn" in page and "Keila linn" not in page and "Tartu linn" not in page
    assert Application.objects.filter(municipality__name="Keila linn").exists()
