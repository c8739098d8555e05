"""A client of Statistics Estonia's PxWeb API (version 1), answering in JSON-stat 2.0.

The API: GET `<api>?config` gives its limits (most cells per answer, most calls per time
window); GET `<api>stat/<table>` a table's dimensions and their values; POST the same address
with a query selecting values of every dimension gives the cells. The client keeps under the
limits by asking for the municipalities' years a page at a time and by waiting when the calls of
the window are spent, retries an overloaded or failing server with growing pauses, and stops
with `TableChanged` when the table no longer has the dimensions and values the catalogue names.

JSON-stat is read with plain `json`: an answer is one flat list of values in row-major order of
its dimensions, which takes a few lines to index; pyjstat would bring pandas for that."""

import json
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import requests

from evaluation.catalogue import FIRST_YEAR, OfficialTable

RETRY_STATUSES = {429, 500, 502, 503, 504}


class PxWebError(Exception):
    """The API could not answer, or answered something that is not JSON-stat."""


class TableChanged(PxWebError):
    """The table no longer matches its entry in the catalogue: the entry needs updating."""


@dataclass(frozen=True)
class Limits:
    max_values: int  # cells in one answer
    max_calls: int  # calls in one time window
    time_window: float  # seconds


@dataclass(frozen=True)
class Cell:
    area: str
    year: int
    value: Decimal


class Client:
    def __init__(
        self,
        api_url: str,
        *,
        retries: int = 4,
        backoff: float = 1.0,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_url = api_url if api_url.endswith("/") else f"{api_url}/"
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep
        self.http = requests.Session()
        self.http.headers["Accept"] = "application/json"
        self._calls: deque[float] = deque()
        self._limits: Limits | None = None
        self._metadata: dict[str, dict[str, Any]] = {}
        self.call_count = 0

    # The API --------------------------------------------------------------------------------

    def limits(self) -> Limits:
        if self._limits is None:
            # Before the limits are known, one call at a time cannot break them.
            self._limits = Limits(max_values=1, max_calls=1, time_window=0)
            config = self._json("GET", f"{self.api_url}?config")
            try:
                self._limits = Limits(
                    max_values=int(config["maxValues"]),
                    max_calls=int(config["maxCalls"]),
                    time_window=float(config["timeWindow"]),
                )
            except (KeyError, TypeError, ValueError) as error:
                raise PxWebError(f"The API's configuration lacks its limits: {config!r}") from error
        return self._limits

    def metadata(self, table: str) -> dict[str, Any]:
        """The table's dimensions and values, asked once per client (several indicators come
        from one table)."""
        if table not in self._metadata:
            self._metadata[table] = self._json("GET", self.table_url(table), table=table)
        return self._metadata[table]

    def table_url(self, table: str) -> str:
        return f"{self.api_url}stat/{table}"

    def cells(self, entry: OfficialTable, areas: Sequence[str]) -> Iterator[Cell]:
        """Every published cell of the indicator for these municipalities (EHAK codes), from
        FIRST_YEAR to the table's latest year, a page at a time."""
        if not areas:
            return
        limits = self.limits()
        years = self._years(entry, self.metadata(entry.table), areas)
        area_page = min(len(areas), limits.max_values)
        year_page = max(1, limits.max_values // max(area_page, 1))
        for a in range(0, len(areas), area_page):
            for y in range(0, len(years), year_page):
                page_areas, page_years = list(areas[a : a + area_page]), years[y : y + year_page]
                answer = self._json(
                    "POST",
                    self.table_url(entry.table),
                    body=entry.query(page_areas, page_years),
                    table=entry.table,
                )
                yield from read_jsonstat(answer, entry)

    # Checking the table ---------------------------------------------------------------------

    def _years(self, entry: OfficialTable, meta: dict[str, Any], areas: Sequence[str]) -> list[str]:
        """The table's years from FIRST_YEAR; `TableChanged` unless the table has exactly the
        catalogue's dimensions, its values, and every municipality asked for."""
        try:
            variables = {v["code"]: set(v["values"]) for v in meta["variables"]}
        except (KeyError, TypeError) as error:
            raise PxWebError(f"Table {entry.table}: the metadata is not PxWeb's.") from error
        expected = {entry.area, entry.time, *entry.fixed}
        if set(variables) != expected:
            raise TableChanged(
                f"Table {entry.table} has the dimensions {sorted(variables)}; the catalogue "
                f"entry of {entry.code} expects {sorted(expected)}."
            )
        for code, value in entry.fixed.items():
            if value not in variables[code]:
                raise TableChanged(
                    f"Table {entry.table}: dimension {code!r} no longer has the value {value!r} "
                    f"that selects {entry.code}."
                )
        missing = sorted(set(areas) - variables[entry.area])
        if missing:
            raise TableChanged(
                f"Table {entry.table}: dimension {entry.area!r} lacks the municipalities "
                f"{', '.join(missing)}."
            )
        years = sorted(y for y in variables[entry.time] if y.isdigit() and int(y) >= FIRST_YEAR)
        if not years:
            raise TableChanged(f"Table {entry.table} has no year from {FIRST_YEAR} on.")
        return years

    # HTTP -----------------------------------------------------------------------------------

    def _json(
        self, method: str, url: str, *, body: dict[str, Any] | None = None, table: str = ""
    ) -> Any:
        for attempt in range(self.retries + 1):
            self._wait_for_a_call()
            last = attempt == self.retries
            try:
                response = self.http.request(method, url, json=body, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as error:
                if last:
                    raise PxWebError(f"{method} {url}: {error}") from error
                self.sleep(self.backoff * 2**attempt)
                continue
            if response.status_code in RETRY_STATUSES and not last:
                self.sleep(self._pause(response, attempt))
                continue
            if response.status_code in (400, 404) and table:
                raise TableChanged(
                    f"Table {table}: {method} {url} answered {response.status_code} "
                    f"({response.text[:200]!r}); the table or its codes have changed."
                )
            if response.status_code != 200:
                raise PxWebError(f"{method} {url} answered {response.status_code}.")
            try:
                return response.json()
            except json.JSONDecodeError as error:
                raise PxWebError(f"{method} {url} did not answer JSON.") from error
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, response: requests.Response, attempt: int) -> float:
        """Retry-After when the server names it, else a pause doubling with each attempt."""
        after = response.headers.get("Retry-After", "")
        return float(after) if after.isdigit() else self.backoff * 2**attempt

    def _wait_for_a_call(self) -> None:
        """Wait until a call fits in the API's window of `max_calls` calls."""
        limits = self._limits or Limits(max_values=1, max_calls=1, time_window=0)
        now = time.monotonic()
        while self._calls and now - self._calls[0] >= limits.time_window:
            self._calls.popleft()
        if len(self._calls) >= limits.max_calls:
            self.sleep(limits.time_window - (now - self._calls[0]))
            self._calls.popleft()
        self._calls.append(time.monotonic())
        self.call_count += 1


def read_jsonstat(answer: Any, entry: OfficialTable) -> Iterator[Cell]:
    """The cells of a JSON-stat 2.0 dataset by municipality and year; cells without a value
    (published as null, with a status such as "..") are left out."""
    try:
        if answer.get("class") != "dataset" or str(answer.get("version")) != "2.0":
            raise PxWebError(f"Table {entry.table}: the answer is not a JSON-stat 2.0 dataset.")
        ids, sizes = list(answer["id"]), [int(s) for s in answer["size"]]
        positions = [_positions(answer["dimension"][code]["category"]) for code in ids]
        values = answer["value"]
    except (KeyError, TypeError, AttributeError) as error:
        raise PxWebError(f"Table {entry.table}: the answer is not JSON-stat.") from error
    if set(ids) != {entry.area, entry.time, *entry.fixed}:
        raise TableChanged(f"Table {entry.table} answered the dimensions {ids}.")
    if [len(p) for p in positions] != sizes:
        raise PxWebError(f"Table {entry.table}: sizes {sizes} do not match the categories.")
    area_at, time_at = ids.index(entry.area), ids.index(entry.time)
    count = 1
    for size in sizes:
        count *= size
    cells = values.items() if isinstance(values, dict) else enumerate(values)
    for index, value in cells:
        if value is None:
            continue
        flat, codes = int(index), []
        if not 0 <= flat < count:
            raise PxWebError(f"Table {entry.table}: a value lies outside the dataset.")
        for size, category in zip(reversed(sizes), reversed(positions), strict=True):
            flat, position = divmod(flat, size)
            codes.append(category[position])
        codes.reverse()
        try:
            number = Decimal(str(value))
        except InvalidOperation as error:
            raise PxWebError(f"Table {entry.table}: {value!r} is not a number.") from error
        yield Cell(area=codes[area_at], year=int(codes[time_at]), value=number)


def _positions(category: dict[str, Any]) -> list[str]:
    """A dimension's category codes in their order (the index is a list or a code → position
    map; a dimension of one category may leave it out)."""
    index = category.get("index")
    if index is None:
        return list(category["label"])
    if isinstance(index, list):
        return [str(code) for code in index]
    ordered = sorted(index.items(), key=lambda item: item[1])
    return [str(code) for code, _position in ordered]
