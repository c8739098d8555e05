"""The difference in differences against cases computed by hand (no database)."""

from decimal import Decimal

import pytest

from evaluation.catalogue import TABLES, OfficialTable
from evaluation.comparison import Data, Window, compare, level, window, yearly

ROADS = TABLES["ROAD_INJURY_CRASHES"]  # counts, no break
CRIME = TABLES["CRIME_TOTAL"]  # counts, a break in 2023
YEARS = range(2018, 2025)


def data(entry: OfficialTable, counts: dict[int, tuple[int, int]], starts: dict[int, int]) -> Data:
    """Each municipality with 10 000 residents every year (so a count is its rate per 10 000)
    and `before`, `after` cases a year on either side of 2022."""
    values = {
        (m, y): Decimal(before if y < 2022 else after)
        for m, (before, after) in counts.items()
        for y in YEARS
    }
    population = {(m, y): Decimal(10_000) for m in counts for y in YEARS}
    return Data(
        values={entry.code: values, "POPULATION": population},
        starts=starts,
        municipalities=list(counts),
    )


def test_the_estimate_and_its_interval_match_a_case_computed_by_hand():
    # Participants fall by 2, 4 and 6 cases per 10 000; the rest rise by 1, 3 and 5.
    counts = {1: (10, 8), 2: (10, 6), 3: (10, 4), 4: (10, 11), 5: (10, 13), 6: (10, 15)}
    result = compare(ROADS, data(ROADS, counts, {1: 2022, 2: 2022, 3: 2022}))
    # Means −4 and 3: the estimate is −7. Both variances are 4, so the standard error is
    # √(4/3 + 4/3) = 1.63299 and Welch's degrees of freedom are 2·(3 − 1) = 4, whose 97.5 %
    # t quantile is 2.776445 (a t table): −7 ± 4.53394.
    assert result.estimate == pytest.approx(-7)
    assert result.low == pytest.approx(-11.53394, abs=1e-4)
    assert result.high == pytest.approx(-2.46606, abs=1e-4)
    assert (result.treated, result.controls) == (3, 3)
    assert result.windows == [Window(2022, before=(2019, 2021), after=(2022, 2024))]


def test_rates_pool_cases_and_residents_over_the_window():
    counts = {1: (1, 0), 2: (0, 0), 3: (0, 3), 4: (0, 0), 5: (1, 1), 6: (2, 0)}
    d = data(ROADS, counts, {1: 2022, 2: 2022, 3: 2022})
    d.values["POPULATION"][1, 2019] = Decimal(20_000)
    # Municipality 1 in 2019: 1 case among 20 000 residents.
    assert yearly(ROADS, d, [1])[2019] == pytest.approx(0.5)
    # 2019–2021: 3 cases among 40 000 residents, not the mean of the years' rates (2/3).
    assert level(ROADS, d, 1, (2019, 2021)) == pytest.approx(0.75)


def test_no_comparison_spans_a_series_break():
    assert window(CRIME, 2022, set(YEARS)) == Window(2022, (2019, 2021), (2022, 2022))
    assert window(CRIME, 2024, set(YEARS)) == Window(2024, (2023, 2023), (2024, 2024))
    assert window(CRIME, 2023, set(YEARS)) is None  # nothing before it in its series
    assert CRIME.comparable(2019, 2022) and not CRIME.comparable(2022, 2023)


def test_a_start_year_with_no_years_before_it_in_its_series_gives_no_number():
    counts = dict.fromkeys(range(1, 8), (10, 9))
    result = compare(CRIME, data(CRIME, counts, {1: 2023, 2: 2023, 3: 2023}))
    assert not result.shown and result.reason == "no_years"


def test_too_few_municipalities_on_a_side_say_so_instead_of_a_number():
    counts = {1: (10, 8), 2: (10, 6), 3: (10, 9), 4: (10, 12), 5: (10, 7)}
    result = compare(ROADS, data(ROADS, counts, {1: 2022, 2: 2022}))
    assert not result.shown and result.reason == "too_few"
    assert (result.treated, result.controls) == (2, 3)


def test_rare_events_are_sums_over_three_years_within_a_series():
    deaths = TABLES["ROAD_DEATHS"]
    counts = {1: (1, 0), 2: (0, 2)}
    series = yearly(deaths, data(deaths, counts, {}), [1, 2])
    # 2020 is the first year with three years behind it; 2022–2024: 2 + 2 + 2 cases.
    assert min(series) == 2020
    assert series[2020] == pytest.approx(3 / 60_000 * 10_000)
    assert series[2024] == pytest.approx(6 / 60_000 * 10_000)
