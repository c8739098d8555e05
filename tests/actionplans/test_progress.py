from datetime import date
from decimal import Decimal

from actionplans.progress import Point, chart, progress

D = Decimal


def points(*values):
    return [Point(date(2024 + i, 1, 1), D(v)) for i, v in enumerate(values)]


def test_lower_is_better_progress_towards_a_lower_target():
    result = progress(D("100"), D("60"), points("80"), lower_is_better=True)
    assert result.percent == 50 and not result.moving_away


def test_higher_is_better_progress_towards_a_higher_target():
    result = progress(D("40"), D("80"), points("50", "70"), lower_is_better=False)
    assert result.percent == 75 and not result.moving_away


def test_moving_away_from_the_target_is_flagged_in_either_direction():
    assert progress(D("100"), D("60"), points("90", "95"), lower_is_better=True).moving_away
    assert progress(D("40"), D("80"), points("35"), lower_is_better=False).moving_away
    assert progress(D("100"), D("60"), points("110"), lower_is_better=True).percent == -25


def test_no_measurement_means_no_progress_yet():
    result = progress(D("1"), D("0"), [], lower_is_better=True)
    assert result.percent is None and not result.moving_away


def test_the_chart_places_baseline_target_and_measurements():
    baseline, target = Point(date(2023, 6, 1), D("10")), Point(date(2026, 1, 1), D("5"))
    drawn = chart(baseline, target, points("8", "7"))
    assert drawn.baseline[0] < drawn.points[0][0] < drawn.target[0]
    assert drawn.baseline[1] < drawn.target[1]  # 10 is drawn above 5
    assert len(drawn.line.split()) == 3
