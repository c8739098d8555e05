"""What the programme page and the programme report show of the comparison: per indicator with
official data, participants against the rest over the years and the estimate with its interval."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from actionplans.models import Indicator
from evaluation import comparison
from evaluation.catalogue import PER_RESIDENTS, POPULATION, RARE_WINDOW, TABLES, OfficialTable
from evaluation.charts import IntervalChart, LineChart, interval_chart, line_chart
from evaluation.models import COUNT_FIELDS, QuarterlyCounts, StatisticsImport, count_labels


@dataclass
class IndicatorComparison:
    indicator: Indicator
    entry: OfficialTable
    estimate: comparison.Estimate
    years: list[tuple[int, float | None, float | None]]  # year, participants, the rest
    chart: LineChart | None

    @property
    def measure(self) -> str:
        """What the figures are, in words."""
        if not self.entry.counts:
            return self.indicator.get_unit_display()
        residents = f"{PER_RESIDENTS:,}".replace(",", "\N{NO-BREAK SPACE}")
        if self.entry.rare:
            return _("cases a year per %(residents)s residents, %(years)s years pooled") % {
                "years": RARE_WINDOW,
                "residents": residents,
            }
        return _("cases a year per %(residents)s residents") % {"residents": residents}


@dataclass
class Summary:
    rows: list[IndicatorComparison]
    intervals: IntervalChart | None
    participants: int
    rest: int
    last_import: StatisticsImport | None


def summary() -> Summary:
    data = comparison.load()
    indicators = {
        i.code: i for i in Indicator.objects.filter(municipality=None, code__in=list(TABLES))
    }
    participants = set(data.starts)
    rest = [m for m in data.municipalities if m not in participants]
    rows = []
    for code, entry in TABLES.items():
        if code == POPULATION or code not in indicators or code not in data.values:
            continue
        ours = comparison.yearly(entry, data, participants)
        theirs = comparison.yearly(entry, data, rest)
        years = sorted(set(ours) | set(theirs))
        rows.append(
            IndicatorComparison(
                indicator=indicators[code],
                entry=entry,
                estimate=comparison.compare(entry, data),
                years=[(y, ours.get(y), theirs.get(y)) for y in years],
                chart=line_chart(years, ours, theirs, [b.year for b in entry.breaks])
                if years
                else None,
            )
        )
    shown = [r for r in rows if r.estimate.shown]
    intervals = (
        interval_chart(
            [
                (r.indicator.name, r.estimate.estimate, r.estimate.low, r.estimate.high)  # type: ignore[misc]
                for r in shown
            ]
        )
        if shown
        else None
    )
    return Summary(
        rows=rows,
        intervals=intervals,
        participants=len(participants),
        rest=len(rest),
        last_import=StatisticsImport.objects.latest_finished(),
    )


@dataclass
class ProgrammeCounts:
    labels: list[str]
    rows: list[tuple[str, list[int]]]  # municipality, its counts
    totals: list[int]


def programme_counts(period: tuple[date, date] | None = None) -> ProgrammeCounts:
    """Each participation's Ringist Välja and STAD counts summed (over the quarters the period
    touches, if given), and the programme's totals."""
    rows = QuarterlyCounts.objects.all()
    if period is not None:
        first = date(period[0].year, 3 * ((period[0].month - 1) // 3) + 1, 1)
        rows = rows.filter(quarter_start_on__range=(first, period[1]))
    sums = (
        rows.order_by("participation__municipality__name")
        .values("participation__municipality__name")
        .annotate(**{name: Sum(name) for name in COUNT_FIELDS})
    )
    return ProgrammeCounts(
        labels=count_labels(),
        rows=[_counted(found) for found in sums],
        totals=list(rows.totals().values()),
    )


def _counted(found: Mapping[str, Any]) -> tuple[str, list[int]]:
    return found["participation__municipality__name"], [found[n] for n in COUNT_FIELDS]
