"""The comparison's charts, laid out as the portal's other SVG charts are
(turvaportaal/lib/charts.py): round grid values, year labels kept apart, the figures in a table
beside each chart."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from turvaportaal.lib.charts import nice_ticks, spread, text_width


@dataclass(frozen=True)
class LineChart:
    """Participants against the rest over the years; a dashed line where a series breaks."""

    width: int
    height: int
    left: int
    baseline: float
    participants: list[str]  # polyline points, a line for each series between breaks
    rest: list[str]
    participant_points: list[tuple[float, float]]
    rest_points: list[tuple[float, float]]
    breaks: list[float]  # x of each break, between the years it separates
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, Decimal]]
    label_y: float


def line_chart(
    years: Sequence[int],
    participants: dict[int, float],
    rest: dict[int, float],
    breaks: Sequence[int],
    width: int = 560,
    height: int = 220,
) -> LineChart:
    highest = max([*participants.values(), *rest.values(), 0.0])
    ticks = nice_ticks(Decimal(str(round(highest, 3))))
    left = max(40, math.ceil(max(text_width(f"{tick:,}") for tick in ticks)) + 12)
    top, bottom, right = 12, 24, 16
    baseline = height - bottom
    slot = (width - left - right) / max(len(years), 1)
    scale = (baseline - top) / float(ticks[-1])

    def x(index: int) -> float:
        return round(left + index * slot + slot / 2, 1)

    def points(series: dict[int, float]) -> list[tuple[float, float]]:
        return [
            (x(i), round(baseline - series[year] * scale, 1))
            for i, year in enumerate(years)
            if year in series
        ]

    def polylines(series: dict[int, float]) -> list[str]:
        """A line per run of years within one series: a line never joins across a break."""
        runs: list[list[str]] = [[]]
        for i, year in enumerate(years):
            if year in breaks and runs[-1]:
                runs.append([])
            if year in series:
                runs[-1].append(f"{x(i)},{round(baseline - series[year] * scale, 1)}")
        return [" ".join(run) for run in runs if run]

    ours, theirs = points(participants), points(rest)
    return LineChart(
        width=width,
        height=height,
        left=left,
        baseline=baseline,
        participants=polylines(participants),
        rest=polylines(rest),
        participant_points=ours,
        rest_points=theirs,
        breaks=[round(x(years.index(b)) - slot / 2, 1) for b in breaks if b in years[1:]],
        x_labels=spread([(x(i), str(y)) for i, y in enumerate(years)], width, "middle", left),
        y_ticks=[(round(baseline - float(t) * scale, 1), t) for t in ticks],
        label_y=height - 6,
    )


@dataclass(frozen=True)
class IntervalRow:
    label_y: float
    label: str
    y: float
    x: float
    low: float
    high: float


@dataclass(frozen=True)
class IntervalChart:
    """Each estimate as a dot with its 95 % interval as a line, and the line of no difference."""

    width: int
    height: int
    zero: float
    rows: list[IntervalRow]
    ticks: list[tuple[float, Decimal]]


def interval_chart(
    rows: Sequence[tuple[str, float, float, float]], width: int = 560
) -> IntervalChart:
    """A row per (label, estimate, low, high), on a common scale around zero."""
    reach = max([abs(v) for _label, *values in rows for v in values] + [1.0])
    ticks = nice_ticks(Decimal(str(round(reach, 3))))
    bound = float(ticks[-1])
    margin, row_height = 16, 40
    span = width - 2 * margin

    def at(value: float) -> float:
        return round(margin + (value + bound) / (2 * bound) * span, 1)

    drawn = [
        IntervalRow(
            label_y=index * row_height + 12,
            label=label,
            y=index * row_height + 26,
            x=at(estimate),
            low=at(low),
            high=at(high),
        )
        for index, (label, estimate, low, high) in enumerate(rows)
    ]
    shown = [-ticks[-1], Decimal(0), ticks[-1]]
    return IntervalChart(
        width=width,
        height=len(rows) * row_height + 20,
        zero=at(0),
        rows=drawn,
        ticks=[(at(float(t)), t) for t in shown],
    )
