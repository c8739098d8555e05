"""The bar charts' layout (turvaportaal/lib/charts.py) and the indicator chart's labels: no two
labels overlap, none runs off the chart, and the bars stand for the values they are given."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from actionplans.progress import Point, chart
from turvaportaal.lib.charts import (
    LABEL_GAP,
    column_chart,
    nice_ticks,
    row_chart,
    spread,
    text_width,
    wrap,
)

D = Decimal


def extents(labels, anchor):
    shift = {"start": 0, "middle": 0.5, "end": 1}[anchor]
    return [
        (x - shift * text_width(t), x - shift * text_width(t) + text_width(t)) for x, t in labels
    ]


def assert_apart(labels, anchor, width):
    boxes = extents(labels, anchor)
    assert all(left >= -0.1 and right <= width + 0.1 for left, right in boxes), boxes
    assert all(a[1] + LABEL_GAP <= b[0] + 0.1 for a, b in itertools.pairwise(boxes)), boxes


@given(
    xs=st.lists(st.floats(min_value=-50, max_value=650), min_size=1, max_size=60),
    text=st.text(alphabet="0123456789 abcMÄ", min_size=1, max_size=14),
    anchor=st.sampled_from(["start", "middle", "end"]),
)
def test_spread_labels_never_overlap_nor_leave_the_chart(xs, text, anchor):
    labels = [(x, f"{text}{n}") for n, x in enumerate(sorted(xs))]
    kept = spread(labels, 560, anchor)
    assert kept and kept[-1][1] == labels[-1][1]  # the last label is always kept
    assert_apart(kept, anchor, 560)


def test_spread_keeps_every_label_that_fits():
    labels = [(56 + 100 * n, str(2023 + n)) for n in range(5)]
    assert spread(labels, 560, "start") == labels


def test_wrap_keeps_lines_within_the_width_and_every_word():
    text = "Children's case-management model training for officials of the municipality"
    lines = wrap(text, 120)
    assert all(text_width(line) <= 120 for line in lines)
    assert " ".join(lines) == text


@given(st.decimals(min_value=D("0.25"), max_value=D("100000"), places=2))
def test_nice_ticks_cover_the_highest_value_in_at_most_six_round_steps(high):
    ticks = nice_ticks(high)
    assert ticks[0] == 0 and ticks[-1] >= high and len(ticks) <= 6
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    assert "E" not in "".join(str(tick) for tick in ticks)


@given(st.integers(min_value=1, max_value=120))
def test_month_labels_are_evenly_thinned_and_never_overlap(months):
    columns = [(f"Sept {2020 + n // 12}", D(n % 7)) for n in range(months)]
    drawn = column_chart(columns)
    assert_apart(drawn.x_labels, "middle", drawn.width)
    assert all(x - text_width(label) / 2 >= drawn.left - 0.1 for x, label in drawn.x_labels)
    # The value axis labels stay left of the plot.
    assert all(text_width(f"{tick:,}") + 6 <= drawn.left for _y, tick in drawn.y_ticks)


def test_columns_stand_for_their_values():
    drawn = column_chart([("a", D("1.5")), ("b", D(0)), ("c", D("3.75"))])
    assert [c.value for c in drawn.columns] == [D("1.5"), D(0), D("3.75")]
    heights = [c.height for c in drawn.columns]
    assert heights[1] == 0 and abs(heights[2] / heights[0] - 2.5) < 0.01
    assert all(c.y + c.height == drawn.baseline for c in drawn.columns)


def test_row_labels_wrap_above_their_bar_and_values_fit_the_width():
    name = "Children's case-management model " * 3
    drawn = row_chart([(name, 3), ("STAD", 12), ("Other training", 0)])
    first, second, third = drawn.rows
    assert len(first.lines) > 1
    assert all(text_width(line) <= drawn.width for row in drawn.rows for _y, line in row.lines)
    # Each row's text and bar lie below the row before it.
    assert first.bar_y + drawn.bar_height < second.lines[0][0] - 10
    assert second.value_x + text_width("12") <= drawn.width
    assert third.bar_width == 0 and second.bar_width == max(r.bar_width for r in drawn.rows)


@given(
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    length=st.integers(min_value=0, max_value=365 * 10),
    count=st.integers(min_value=0, max_value=40),
    value=st.decimals(min_value=D("-999999"), max_value=D("9999999"), places=1),
)
def test_indicator_chart_labels_never_overlap(first, length, count, value):
    last = first + timedelta(days=length)
    step = max(length // max(count, 1), 1)
    measurements = [Point(first + timedelta(days=step * n), value + n) for n in range(count)]
    drawn = chart(Point(first, value), Point(last, D(0)), measurements)
    assert_apart(drawn.x_labels, "start", drawn.width)
    assert all(text_width(f"{tick:,}") + 6 <= drawn.left for _y, tick in drawn.y_ticks)
    # The value labels are a line apart.
    ys = sorted(y for y, _tick in drawn.y_ticks)
    assert all(b - a >= 14 for a, b in itertools.pairwise(ys))


def test_a_baseline_on_new_years_eve_does_not_print_its_year_over_the_next():
    drawn = chart(Point(date(2022, 12, 31), D(10)), Point(date(2027, 12, 31), D(5)), [], width=560)
    assert [label for _x, label in drawn.x_labels] == ["2023", "2024", "2025", "2026", "2027"]
