"""Statistics Estonia's PxWeb API as a real local HTTP server, answering with the JSON-stat
files of tests/data/statistics_estonia (made by hand in the API's published format)."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from evaluation.catalogue import FIRST_YEAR, TABLES
from evaluation.pxweb import Client
from evaluation.services import import_statistics
from programme.models import Cohort, Municipality, Participation

DATA = Path(__file__).resolve().parent.parent / "data" / "statistics_estonia"
API = "/api/v1/en/"


def shipped(name: str) -> Any:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def years_of(table: str) -> list[str]:
    meta = shipped(table)
    time = next(v for v in meta["variables"] if v.get("time"))
    return [y for y in time["values"] if int(y) >= FIRST_YEAR]


def serve_config(server: HTTPServer, **limits: Any) -> None:
    server.expect_request(API, method="GET", query_string="config").respond_with_json(
        {**shipped("config"), **limits}
    )


def serve_statistics(server: HTTPServer, codes: list[str] | None = None) -> None:
    """The config, each table's metadata, and each indicator's answer to the exact query the
    catalogue makes for every municipality and year (one page each under the shipped limits)."""
    serve_config(server)
    areas = sorted(Municipality.objects.values_list("ehak_code", flat=True))
    for table in {entry.table for entry in TABLES.values()}:
        server.expect_request(f"{API}stat/{table}", method="GET").respond_with_json(shipped(table))
    for code, entry in TABLES.items():
        if codes is not None and code not in codes:
            continue
        server.expect_request(
            f"{API}stat/{entry.table}",
            method="POST",
            json=entry.query(areas, years_of(entry.table)),
        ).respond_with_json(shipped(code))


@pytest.fixture
def pauses() -> list[float]:
    return []


@pytest.fixture
def api(httpserver: HTTPServer, pauses: list[float]) -> Client:
    """A client of the local server that records its pauses instead of sleeping them."""
    return Client(httpserver.url_for(API), retries=3, backoff=0.5, sleep=pauses.append)


STARTED = ["0141", "0198", "0245", "0296", "0305", "0338"]  # six Harju municipalities, from 2021


def take_part(ehak_codes: list[str], start_year: int = 2021) -> None:
    cohort, _ = Cohort.objects.get_or_create(stage=1, start_year=start_year)
    for code in ehak_codes:
        participation = Participation(
            municipality=Municipality.objects.get(ehak_code=code),
            cohort=cohort,
            start_on=date(start_year, 1, 1),
            end_on=date(start_year + 2, 1, 1),
            source=Participation.Source.SELECTION,
        )
        participation.save()


@pytest.fixture
def statistics(httpserver: HTTPServer, api: Client) -> None:
    """Every shipped official value imported, and six participants from 2021."""
    serve_statistics(httpserver)
    assert import_statistics(api=api).succeeded
    take_part(STARTED)
