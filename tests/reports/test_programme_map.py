"""The programme report's county map keeps to the report's period: the participations active in
it, the places free at its end and the applications submitted in it, recomputed in plain Python
over the tables' values."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test.signals import template_rendered
from django.utils import translation

from applications.models import Application, Status
from programme.models import Cohort, County, Municipality, Participation
from reports.documents import programme_report
from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db

PERIOD = (date(2025, 1, 1), date(2025, 12, 31))
HARJU, IDA_VIRU, RAPLA, TARTU = "0037", "0045", "0071", "0079"


@pytest.fixture
def programme():
    cohort = Cohort.objects.create(stage=1, start_year=2023)
    for name, start_on, end_on in [
        ("Rapla vald", date(2025, 1, 1), date(2026, 12, 31)),  # the whole period
        ("Elva vald", date(2023, 7, 1), date(2025, 6, 30)),  # its first half
        ("Narva linn", date(2023, 1, 1), date(2024, 12, 31)),  # ended before it
        ("Tallinn", date(2026, 1, 1), date(2027, 12, 31)),  # starts after it
    ]:
        Participation.objects.create(
            municipality=Municipality.objects.get(name=name),
            cohort=cohort,
            start_on=start_on,
            end_on=end_on,
            source=Participation.Source.IMPORT,
        )
    call = CallFactory()
    for name, submitted_at in [
        ("Keila linn", datetime(2025, 5, 9, 12, 0, tzinfo=UTC)),
        ("Tartu linn", datetime(2026, 1, 15, 12, 0, tzinfo=UTC)),  # after the period
    ]:
        ApplicationFactory(
            call=call,
            municipality=Municipality.objects.get(name=name),
            status=Status.SUBMITTED,
            submitted_at=submitted_at,
        )
    ApplicationFactory(call=call, municipality=Municipality.objects.get(name="Saue vald"))


@contextmanager
def context_of(name: str) -> Iterator[dict[str, Any]]:
    """The context a template is rendered with (the report keeps only its HTML)."""
    seen: dict[str, Any] = {}

    def keep(sender: Any, template: Any, context: Any, **kwargs: Any) -> None:
        if template.name == name:
            seen.update(context.flatten())

    template_rendered.connect(keep)
    try:
        yield seen
    finally:
        template_rendered.disconnect(keep)


def expected_figures() -> dict[str, tuple[list[str], int, int]]:
    """(names in the programme, free places, applications) by county, in plain Python."""
    start, end = PERIOD
    participations = list(
        Participation.objects.values(
            "start_on", "end_on", "municipality__name", "municipality__county__ehak_code"
        )
    )
    submitted = [
        row["municipality__county__ehak_code"]
        for row in Application.objects.values(
            "status", "submitted_at", "municipality__county__ehak_code"
        )
        if row["status"] != Status.DRAFT
        and row["submitted_at"] is not None
        and start <= row["submitted_at"].date() <= end
    ]
    figures = {}
    for county in County.objects.values("ehak_code", "participant_limit"):
        code = county["ehak_code"]
        mine = [p for p in participations if p["municipality__county__ehak_code"] == code]
        active = sorted(
            p["municipality__name"]
            for p in mine
            if not (p["end_on"] < start or p["start_on"] > end)
        )
        holding = [p for p in mine if p["start_on"] <= end]
        figures[code] = (
            active,
            max(county["participant_limit"] - len(holding), 0),
            submitted.count(code),
        )
    return figures


def test_the_map_of_the_programme_report_keeps_to_its_period(programme):
    with context_of("pdf/programme.html") as context, translation.override("en"):
        document = programme_report(period_start=PERIOD[0], period_end=PERIOD[1])
    tiles = {tile.ehak_code: tile for tile in context["tiles"]}
    expected = expected_figures()
    assert {
        code: (list(tile.participants), tile.free_places, tile.applications)
        for code, tile in tiles.items()
    } == expected
    assert expected[HARJU] == ([], 2, 1)  # Tallinn starts after the period; Keila applied in it
    assert expected[IDA_VIRU] == ([], 1, 0)  # Narva ended before it, and still holds a place
    assert expected[RAPLA] == (["Rapla vald"], 0, 0)
    assert expected[TARTU] == (["Elva vald"], 0, 0)  # Tartu linn applied after it

    # The printed table says the same.
    for code, (names, free, applied) in expected.items():
        row = re.search(
            rf'<tr data-county="{code}"><th scope="row">[^<]*</th><td>([^<]*)</td>'
            r'<td class="num">(\d+)</td><td class="num">(\d+)</td>',
            document.html,
        )
        assert (row[1], int(row[2]), int(row[3])) == (", ".join(names) or "—", free, applied)
    assert "Tallinn" not in document.html and "Narva linn" not in document.html
    assert ">2 free places</text>" in document.html
