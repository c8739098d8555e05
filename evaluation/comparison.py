"""Participants against the rest: a difference in differences per indicator.

For each participant, its change is the indicator after its start year less the indicator before
it: up to WINDOW years on each side, all of them in the series the start year belongs to (a
series break is never spanned). Each non-participant's change is taken around the same start
years, weighted by how many participants started in each. The estimate is the participants'
mean change less the non-participants'; its 95 % interval is Welch's t interval (scipy), which
does not assume both groups vary alike: with so few municipalities a side, the t distribution's
wider interval is the honest one, and each municipality is counted once, so the two samples are
independent. Counts are compared as rates per 10 000 residents, pooled over each window (sums of
cases over sums of residents), so rare events are compared as sums over several years, never as
changes of one year's 0, 1 or 2 cases.

Plain functions on plain data, with `load` reading the database."""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from scipy import stats

from evaluation.catalogue import PER_RESIDENTS, POPULATION, RARE_WINDOW, TABLES, OfficialTable
from evaluation.models import OfficialValue
from programme.models import Municipality, Participation

WINDOW = 3  # years on each side of a start year
MIN_SIDE = 3  # municipalities each side needs before a number is shown
CONFIDENCE = 0.95

Values = dict[tuple[int, int], Decimal]  # (municipality id, year) → value


@dataclass(frozen=True)
class Data:
    values: dict[str, Values]  # indicator code → its values
    starts: dict[int, int]  # participant's municipality id → its start year
    municipalities: list[int]  # every municipality's id


@dataclass(frozen=True)
class Window:
    start: int
    before: tuple[int, int]  # first and last year
    after: tuple[int, int]


@dataclass
class Estimate:
    code: str
    treated: int = 0
    controls: int = 0
    windows: list[Window] = field(default_factory=list)
    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    reason: str = ""  # why there is no number: "too_few" or "no_years"

    @property
    def shown(self) -> bool:
        return self.estimate is not None


def window(entry: OfficialTable, start: int, years: set[int]) -> Window | None:
    """The years compared around a start year: up to WINDOW before and from it, within the
    start year's series and the years published; None if a side has none."""
    series = entry.series_of(start)
    before = [y for y in range(start - WINDOW, start) if y in years and y >= series]
    after = [y for y in range(start, start + WINDOW) if y in years and entry.series_of(y) == series]
    if not before or not after:
        return None
    return Window(start, (before[0], before[-1]), (after[0], after[-1]))


def level(
    entry: OfficialTable, data: Data, municipality: int, span: tuple[int, int]
) -> float | None:
    """The indicator over the years of `span`: for counts, cases per PER_RESIDENTS residents
    pooled over the years; otherwise the mean. None if a year lacks a value."""
    values, years = data.values.get(entry.code, {}), range(span[0], span[1] + 1)
    if any((municipality, y) not in values for y in years):
        return None
    if not entry.counts:
        return sum(float(values[municipality, y]) for y in years) / len(years)
    population = data.values.get(POPULATION, {})
    if any((municipality, y) not in population for y in years):
        return None
    residents = sum(float(population[municipality, y]) for y in years)
    if not residents:
        return None
    return sum(float(values[municipality, y]) for y in years) / residents * PER_RESIDENTS


def change(entry: OfficialTable, data: Data, municipality: int, w: Window) -> float | None:
    before, after = (
        level(entry, data, municipality, w.before),
        level(entry, data, municipality, w.after),
    )
    return None if before is None or after is None else after - before


def compare(entry: OfficialTable, data: Data) -> Estimate:
    result = Estimate(entry.code)
    years = {year for _m, year in data.values.get(entry.code, {})}
    windows = {s: window(entry, s, years) for s in set(data.starts.values())}
    treated: list[float] = []
    weights: defaultdict[int, int] = defaultdict(int)
    for municipality, start in data.starts.items():
        w = windows[start]
        moved = change(entry, data, municipality, w) if w else None
        if moved is not None:
            treated.append(moved)
            weights[start] += 1
    controls = []
    for municipality in data.municipalities:
        if municipality in data.starts:
            continue
        moved_by = {
            s: change(entry, data, municipality, w)
            for s in weights
            if (w := windows[s]) is not None
        }
        known = {s: m for s, m in moved_by.items() if m is not None}
        if known:
            total = sum(weights[s] for s in known)
            controls.append(sum(m * weights[s] for s, m in known.items()) / total)
    result.treated, result.controls = len(treated), len(controls)
    result.windows = sorted((w for s in weights if (w := windows[s])), key=lambda w: w.start)
    if not result.windows:
        result.reason = "no_years"
        return result
    if len(treated) < MIN_SIDE or len(controls) < MIN_SIDE:
        result.reason = "too_few"
        return result
    test = stats.ttest_ind(treated, controls, equal_var=False)
    interval = test.confidence_interval(CONFIDENCE)
    estimate = sum(treated) / len(treated) - sum(controls) / len(controls)
    if not (math.isfinite(interval.low) and math.isfinite(interval.high)):
        result.reason = "too_few"  # no variation on either side: no interval to give
        return result
    result.estimate, result.low, result.high = estimate, interval.low, interval.high
    return result


def yearly(entry: OfficialTable, data: Data, group: Iterable[int]) -> dict[int, float]:
    """The group's indicator each year, pooled over its municipalities: for counts cases per
    PER_RESIDENTS residents, rare events summed over the RARE_WINDOW years ending that year
    (in one series); otherwise the mean."""
    members = set(group)
    values = data.values.get(entry.code, {})
    years = sorted({y for m, y in values if m in members})
    span = RARE_WINDOW if entry.rare else 1
    result = {}
    for year in years:
        covered = [y for y in range(year - span + 1, year + 1) if entry.comparable(y, year)]
        if len(covered) < span:
            continue
        if entry.counts:
            cases = residents = 0.0
            population = data.values.get(POPULATION, {})
            for m in members:
                if all((m, y) in values and (m, y) in population for y in covered):
                    cases += sum(float(values[m, y]) for y in covered)
                    residents += sum(float(population[m, y]) for y in covered)
            if residents:
                result[year] = cases / residents * PER_RESIDENTS
        else:
            levels = [level(entry, data, m, (covered[0], covered[-1])) for m in members]
            known = [v for v in levels if v is not None]
            if known:
                result[year] = sum(known) / len(known)
    return result


def load() -> Data:
    values: dict[str, Values] = defaultdict(dict)
    rows = OfficialValue.objects.filter(indicator__municipality=None).values_list(
        "indicator__code", "municipality_id", "year", "value"
    )
    for code, municipality, year, value in rows:
        values[code][municipality, year] = value
    return Data(
        values=dict(values),
        starts=dict(Participation.objects.values_list("municipality_id", "start_on__year")),
        municipalities=list(Municipality.objects.values_list("pk", flat=True)),
    )


def compare_all(data: Data) -> list[Estimate]:
    return [compare(entry, data) for code, entry in TABLES.items() if code != POPULATION]
