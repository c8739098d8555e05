"""Progress of an indicator towards its target, and its chart, on plain data."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


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
    """An SVG line chart: measurements as a line, baseline and target as marked points."""

    width: int
    height: int
    line: str
    points: list[tuple[float, float, Point]]
    baseline: tuple[float, float]
    target: tuple[float, float]
    y_ticks: list[tuple[float, Decimal]]
    x_labels: list[tuple[float, str]]


def chart(
    baseline: Point, target: Point, measurements: list[Point], width: int = 560, height: int = 220
) -> Chart:
    left, right, top, bottom = 56, 16, 16, 32
    everything = [baseline, target, *measurements]
    first = min(point.on for point in everything)
    last = max(point.on for point in everything)
    low = min(point.value for point in everything)
    high = max(point.value for point in everything)
    if high == low:
        high, low = high + 1, low - 1
    days = max((last - first).days, 1)

    def x(on: date) -> float:
        return round(left + (on - first).days / days * (width - left - right), 1)

    def y(value: Decimal) -> float:
        return round(top + float((high - value) / (high - low)) * (height - top - bottom), 1)

    ordered = sorted(measurements, key=lambda point: point.on)
    placed = [(x(point.on), y(point.value), point) for point in ordered]
    ticks = [low + (high - low) * Decimal(step) / 4 for step in range(5)]
    years = sorted({point.on.year for point in everything})
    return Chart(
        width=width,
        height=height,
        line=" ".join(
            f"{px},{py}" for px, py, _point in [(x(baseline.on), y(baseline.value), None), *placed]
        ),
        points=placed,
        baseline=(x(baseline.on), y(baseline.value)),
        target=(x(target.on), y(target.value)),
        y_ticks=[(y(value), value.quantize(Decimal("0.1"))) for value in ticks],
        x_labels=[(x(max(date(year, 1, 1), first)), str(year)) for year in years],
    )
