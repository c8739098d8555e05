"""Progress of an indicator towards its target, and its chart, on plain data."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from turvaportaal.lib.charts import nice_ticks, spread, text_width


@dataclass(frozen=True)
class Point:
    on: date
    value: Decimal


@dataclass(frozen=True)
class Progress:
    share: Decimal | None  # 0 at the baseline, 1 at the target; may go below 0 or above 1
    moving_away: bool

    @property
    def percent(self) -> int | None:
        return None if self.share is None else int((self.share * 100).to_integral_value())


def progress(
    baseline: Decimal, target: Decimal, measurements: list[Point], lower_is_better: bool
) -> Progress:
    """How far the latest measurement has come from the baseline towards the target, and whether
    the indicator is moving away from the target (its latest change is in the wrong direction)."""
    if not measurements:
        return Progress(None, False)
    ordered = sorted(measurements, key=lambda point: point.on)
    latest = ordered[-1].value
    previous = ordered[-2].value if len(ordered) > 1 else baseline
    share = None if target == baseline else (latest - baseline) / (target - baseline)
    worse = latest > previous if lower_is_better else latest < previous
    return Progress(share.quantize(Decimal("0.01")) if share is not None else None, worse)


@dataclass(frozen=True)
class Chart:
    """An SVG line chart: measurements as a line, baseline and target as marked points; the
    unit is written above the value axis, in the room `top` leaves for it."""

    width: int
    height: int
    left: int
    right: int
    top: int
    line: str
    points: list[tuple[float, float, Point]]
    baseline: tuple[float, float]
    target: tuple[float, float]
    y_ticks: list[tuple[float, Decimal]]
    x_labels: list[tuple[float, str]]


def chart(
    baseline: Point, target: Point, measurements: list[Point], width: int = 560, height: int = 220
) -> Chart:
    right, top, bottom = 16, 28, 32
    everything = [baseline, target, *measurements]
    first = min(point.on for point in everything)
    last = max(point.on for point in everything)
    low = min(point.value for point in everything)
    high = max(point.value for point in everything)
    if high == low:
        high, low = high + 1, low - 1
    days = max((last - first).days, 1)
    # Round values for the grid, the values drawn between the lowest and the highest of them.
    ticks = nice_ticks(high, low, most=4)
    low, high = ticks[0], ticks[-1]
    # The value axis is as wide as its longest label (grouped thousands and all).
    left = max(56, round(max(text_width(f"{tick:,}") for tick in ticks)) + 12)

    def x(on: date) -> float:
        return round(left + (on - first).days / days * (width - left - right), 1)

    def y(value: Decimal) -> float:
        return round(top + float((high - value) / (high - low)) * (height - top - bottom), 1)

    ordered = sorted(measurements, key=lambda point: point.on)
    placed = [(x(point.on), y(point.value), point) for point in ordered]
    years = range(first.year, last.year + 1)
    return Chart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        line=" ".join(
            f"{px},{py}" for px, py, _point in [(x(baseline.on), y(baseline.value), None), *placed]
        ),
        points=placed,
        baseline=(x(baseline.on), y(baseline.value)),
        target=(x(target.on), y(target.value)),
        y_ticks=[(y(value), value) for value in ticks],
        # Each year's label starts where the year does; one that would run into the next is
        # left out (a baseline on 31 December sits a day before the next year's label), and so
        # are years in between when the period is long.
        x_labels=spread(
            [(x(max(date(year, 1, 1), first)), str(year)) for year in years], width, "start"
        ),
    )
