"""The comparison on the ministry's programme page and in the programme report."""

import re
from datetime import date

import pytest
from django.urls import reverse

from actionplans.models import Indicator, Measurement, PlanIndicator
from actionplans.services import start_plan
from evaluation.catalogue import TABLES
from evaluation.models import OfficialValue
from reports.documents import programme_report
from tests.counselling.conftest import make_participation

pytestmark = pytest.mark.django_db


def test_the_ministry_sees_participants_against_the_rest(
    client_for, ministry, statistics, in_english
):
    html = client_for(ministry, "en").get(reverse("dashboard")).content.decode()
    assert "data-caveat" in html and "no proof that the programme caused it" in html
    compared = [code for code in TABLES if code != "POPULATION"]
    for code in compared:
        row = re.search(rf'<tr data-indicator="{code}">(.*?)</tr>', html, re.S)
        assert row, code
        # Anija vald's fire injuries of 2023 are suppressed (null, ".."): it is left out there.
        treated = 5 if code == "FIRE_INJURIES" else 6
        assert f'<td class="text-end" data-treated>{treated}</td>' in row.group(1)
        assert '<td class="text-end" data-controls>73</td>' in row.group(1)
        assert "data-estimate" in row.group(1) or "data-too-little" in row.group(1)
    crime = re.search(r'<tr data-indicator="CRIME_TOTAL">(.*?)</tr>', html, re.S).group(1)
    # The break of 2023 cuts the years after the start year 2021 short.
    assert "start 2021: 2018–2020 against 2021–2022" in crime
    assert 'data-break="2023"' in html and 'class="chart-break"' in html
    assert 'id="estimates-chart"' in html
    # Each indicator's years as a chart, opened from a summary line on the page.
    over_the_years = html[html.index('id="over-the-years"') : html.index("</details>")]
    assert over_the_years.count('class="chart-participants"') >= len(compared)
    assert "cases a year per 10\N{NO-BREAK SPACE}000 residents, 3 years pooled" in html


def test_the_page_says_when_there_is_nothing_to_compare(client_for, ministry, in_english):
    html = client_for(ministry, "en").get(reverse("dashboard")).content.decode()
    assert "data-no-data" in html and "Not imported yet." in html


def test_only_the_ministrys_page_shows_it(client_for, kov_a, statistics):
    html = client_for(kov_a).get(reverse("dashboard")).content.decode()
    assert "data-caveat" not in html and 'id="estimates-chart"' not in html


def test_the_programme_report_has_the_comparison_with_its_caveat(statistics, in_english):
    html = programme_report(period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)).html
    section = html[html.index('id="evaluation"') :]
    assert "data-caveat" in section and 'data-indicator="ROAD_INJURED"' in section


def test_official_values_show_beside_the_municipalitys_own(client_for, kov_a, statistics):
    plan = start_plan(participation=make_participation(kov_a))
    deaths = PlanIndicator.objects.create(
        plan=plan,
        indicator=Indicator.objects.get(code="ROAD_DEATHS", municipality=None),
        baseline_value=2,
        baseline_on=date(2023, 12, 31),
        target_value=0,
        target_on=date(2026, 12, 31),
    )
    Measurement.objects.create(
        plan_indicator=deaths, value=5, measured_on=date(2024, 12, 31), source_note="Vallavalitsus"
    )
    html = client_for(kov_a, "en").get(reverse("plan_indicators", args=[plan.pk])).content.decode()
    official = html[html.index('data-official="ROAD_DEATHS"') :]
    official = official[: official.index("</details>")]
    assert "Source: Statistics Estonia, table TS252." in official
    # Rare events: the three years' sum and the rate per 10 000, never a yearly percentage.
    values = {
        v.year: v.value
        for v in OfficialValue.objects.of("ROAD_DEATHS").filter(municipality=kov_a.municipality)
    }
    row = official[official.index('data-year="2024"') :]
    total = int(values[2022] + values[2023] + values[2024])
    assert f'<td class="text-end" data-sum>{total}<' in row
    assert 'data-year="2020"' in official and "data-rate" in official
    # The municipality's own value stays as it was entered.
    assert Measurement.objects.get(plan_indicator=deaths).value == 5
