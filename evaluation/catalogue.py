"""Which official table answers each catalogue indicator, keyed by the indicator's code in
actionplans/data/safety_indicators.csv.

Each entry names a Statistics Estonia PxWeb table, the dimension that lists municipalities
(by EHAK code), the dimension of years, and one value for each other dimension of the table,
which together select the indicator per municipality and year. The client compares this with
the table's published metadata before every import and stops with a clear error when the table
no longer has these dimensions or values (evaluation/pxweb.py).

A series break is the first year of a series that cannot be compared with the years before it;
charts mark it and no comparison spans it."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Municipalities as they have been since the administrative reform of October 2017.
FIRST_YEAR = 2018
# Rare events are shown and compared as sums over this many years.
RARE_WINDOW = 3
# Counts are compared as rates per this many residents.
PER_RESIDENTS = 10_000
POPULATION = "POPULATION"


@dataclass(frozen=True)
class SeriesBreak:
    year: int  # the first year of the new series
    reason: Promise


@dataclass(frozen=True)
class OfficialTable:
    code: str  # the indicator's code in the catalogue
    table: str  # the PxWeb table id
    area: str  # the dimension of municipalities
    time: str  # the dimension of years
    fixed: dict[str, str] = field(default_factory=dict)  # one value of every other dimension
    counts: bool = True  # the table publishes counts: compared per PER_RESIDENTS residents
    rare: bool = False  # a handful of cases a year: shown as sums over RARE_WINDOW years
    breaks: tuple[SeriesBreak, ...] = ()

    def query(self, areas: list[str], years: list[str]) -> dict[str, Any]:
        """The PxWeb query for these municipalities and years, answered as JSON-stat 2.0."""
        selections = [(self.area, areas), (self.time, years)]
        selections += [(code, [value]) for code, value in self.fixed.items()]
        return {
            "query": [
                {"code": code, "selection": {"filter": "item", "values": values}}
                for code, values in selections
            ],
            "response": {"format": "json-stat2"},
        }

    def series_of(self, year: int) -> int:
        """The first year of the comparable series the year belongs to."""
        return max([FIRST_YEAR, *(b.year for b in self.breaks if b.year <= year)])

    def comparable(self, *years: int) -> bool:
        return len({self.series_of(year) for year in years}) <= 1


CRIME_BREAK = SeriesBreak(
    2023,
    _(
        "Crimes are counted by a new method from 2023 (the Penal Code's offences registered "
        "as events); these counts are not comparable with earlier years."
    ),
)


def _crime(code: str, kind: str) -> OfficialTable:
    return OfficialTable(
        code, "KO0211", "Haldusüksus", "Aasta", {"Kuriteo liik": kind}, breaks=(CRIME_BREAK,)
    )


def _roads(code: str, measure: str, *, rare: bool = False) -> OfficialTable:
    return OfficialTable(code, "TS252", "Haldusüksus", "Aasta", {"Näitaja": measure}, rare=rare)


def _rescue(code: str, measure: str, *, rare: bool = False) -> OfficialTable:
    return OfficialTable(code, "PA0311", "Haldusüksus", "Aasta", {"Näitaja": measure}, rare=rare)


TABLES: dict[str, OfficialTable] = {
    entry.code: entry
    for entry in (
        OfficialTable(
            POPULATION,
            table="RV0240",
            area="Haldusüksus",
            time="Aasta",
            fixed={"Sugu": "1", "Vanuserühm": "1"},
            counts=False,
        ),
        _crime("CRIME_TOTAL", "1"),
        _crime("CRIME_PERSON", "2"),
        _crime("CRIME_PROPERTY", "3"),
        _roads("ROAD_INJURY_CRASHES", "1"),
        _roads("ROAD_DEATHS", "2", rare=True),
        _roads("ROAD_INJURED", "3"),
        _rescue("BUILDING_FIRES", "1"),
        _rescue("FIRE_DEATHS", "2", rare=True),
        _rescue("FIRE_INJURIES", "3", rare=True),
        _rescue("DROWNINGS", "4", rare=True),
    )
}
