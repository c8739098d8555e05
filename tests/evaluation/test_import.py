"""The import through the real PxWeb client, against a local server answering JSON-stat."""

import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone
from werkzeug import Response

from audit.models import AuditEvent
from evaluation.catalogue import TABLES
from evaluation.models import OfficialValue, StatisticsImport
from evaluation.pxweb import Client, TableChanged
from evaluation.services import REVISED, import_statistics
from programme.models import Municipality
from tests.evaluation.conftest import API, serve_config, serve_statistics, shipped, years_of

pytestmark = pytest.mark.django_db

YEARS = 7  # 2018–2024 in the shipped answers


def test_every_indicator_for_all_79_municipalities_with_its_provenance(httpserver, api, in_english):
    serve_statistics(httpserver)
    run = import_statistics(api=api)
    assert run.succeeded and run.error == ""
    # One suppressed cell (null, status "..") is left out.
    assert run.created == len(TABLES) * 79 * YEARS - 1
    assert OfficialValue.objects.values("municipality").distinct().count() == 79
    assert run.calls == 1 + 4 + len(TABLES)  # the config, the four tables, one page each
    tallinn = OfficialValue.objects.of("POPULATION").get(municipality__ehak_code="0784", year=2018)
    answer = shipped("POPULATION")
    index = answer["dimension"]["Haldusüksus"]["category"]["index"]["0784"]
    assert tallinn.value == Decimal(answer["value"][index * YEARS])
    assert (tallinn.table, tallinn.imported_on) == ("RV0240", timezone.localdate())
    assert tallinn.source == "Statistics Estonia"
    assert tallinn.revised_on is None


def test_a_second_run_finds_nothing_new_and_a_revision_is_updated_and_audited(
    httpserver, api, in_english
):
    serve_statistics(httpserver, codes=["POPULATION"])
    import_statistics(api=api, codes=["POPULATION"])
    assert import_statistics(api=api, codes=["POPULATION"]).created == 0

    httpserver.clear()
    revised = shipped("POPULATION")
    revised["value"][0] += 12  # the first municipality's 2018 population
    serve_config(httpserver)
    httpserver.expect_request(f"{API}stat/RV0240", method="GET").respond_with_json(
        shipped("RV0240")
    )
    httpserver.expect_request(f"{API}stat/RV0240", method="POST").respond_with_json(revised)
    run = import_statistics(api=api, codes=["POPULATION"])
    assert (run.created, run.revised, run.unchanged) == (0, 1, 79 * YEARS - 1)
    value = OfficialValue.objects.of("POPULATION").get(municipality__ehak_code="0141", year=2018)
    assert value.value == revised["value"][0]
    assert value.revised_on == timezone.localdate()
    event = AuditEvent.objects.about(value).get()
    assert event.detail == REVISED
    assert event.before == {"value": f"{revised['value'][0] - 12}.000", "table": "RV0240"}
    assert event.actor_label == "Statistics Estonia"


def test_answers_are_asked_a_page_at_a_time_within_the_cell_limit(httpserver, api):
    serve_config(httpserver, maxValues=79 * 3)
    httpserver.expect_request(f"{API}stat/RV0240", method="GET").respond_with_json(
        shipped("RV0240")
    )
    entry, full = TABLES["POPULATION"], shipped("POPULATION")
    areas = sorted(Municipality.objects.values_list("ehak_code", flat=True))
    years = years_of("RV0240")
    for first in range(0, YEARS, 3):
        page = years[first : first + 3]
        answer = {**full, "size": [79, 1, 1, len(page)], "value": []}
        answer["dimension"] = {**full["dimension"]}
        answer["dimension"]["Aasta"] = {
            "label": "Year",
            "category": {
                "index": {y: n for n, y in enumerate(page)},
                "label": {y: y for y in page},
            },
        }
        for row in range(79):
            answer["value"] += full["value"][row * YEARS + first : row * YEARS + first + len(page)]
        httpserver.expect_oneshot_request(
            f"{API}stat/RV0240", method="POST", json=entry.query(areas, page)
        ).respond_with_json(answer)
    run = import_statistics(api=api, codes=["POPULATION"])
    assert run.error == ""
    assert run.created == 79 * YEARS
    assert run.calls == 2 + 3  # config, metadata, pages of 3, 3 and 1 years
    httpserver.check_assertions()


def test_an_overloaded_server_is_asked_again_after_growing_pauses(httpserver, api, pauses):
    httpserver.expect_ordered_request(API, query_string="config").respond_with_response(
        Response("Too many requests", status=429)
    )
    httpserver.expect_ordered_request(API, query_string="config").respond_with_response(
        Response("Service unavailable", status=503, headers={"Retry-After": "7"})
    )
    httpserver.expect_ordered_request(API, query_string="config").respond_with_json(
        shipped("config")
    )
    assert api.limits().max_values == 100000
    assert pauses == [0.5, 7.0]  # doubling from 0.5 s, unless the server names the pause


def test_the_calls_of_a_time_window_are_not_exceeded(httpserver, api, pauses):
    serve_config(httpserver, maxCalls=2, timeWindow=10)
    httpserver.expect_request(f"{API}stat/RV0240").respond_with_json(shipped("RV0240"))
    httpserver.expect_request(f"{API}stat/TS252").respond_with_json(shipped("TS252"))
    api.limits()
    api.metadata("RV0240")
    api.metadata("TS252")
    assert len(pauses) == 1 and 9 < pauses[0] <= 10


def test_a_table_that_changed_stops_with_a_clear_error(httpserver, api):
    serve_config(httpserver)
    meta = shipped("KO0211")
    meta["variables"] = [v for v in meta["variables"] if v["code"] != "Kuriteo liik"]
    meta["variables"].append({"code": "Kuriteo raskus", "text": "Severity", "values": ["1"]})
    httpserver.expect_request(f"{API}stat/KO0211").respond_with_json(meta)
    with pytest.raises(TableChanged, match=r"Table KO0211 has the dimensions .*Kuriteo raskus"):
        list(api.cells(TABLES["CRIME_TOTAL"], ["0141"]))


def test_a_query_the_table_refuses_is_a_changed_table(httpserver, api):
    serve_config(httpserver)
    httpserver.expect_request(f"{API}stat/TS252", method="GET").respond_with_json(shipped("TS252"))
    httpserver.expect_request(f"{API}stat/TS252", method="POST").respond_with_response(
        Response('{"error": "Bad request"}', status=400)
    )
    with pytest.raises(TableChanged, match="TS252.*answered 400"):
        list(api.cells(TABLES["ROAD_DEATHS"], ["0141"]))


def test_the_command_imports_and_fails_loudly_naming_the_table(httpserver):
    serve_config(httpserver)
    meta = shipped("RV0240")
    meta["variables"][0]["values"].remove("0784")  # Tallinn gone from the table
    httpserver.expect_request(f"{API}stat/RV0240").respond_with_json(meta)
    with (
        override_settings(STATISTICS_ESTONIA_API_URL=httpserver.url_for(API)),
        pytest.raises(
            CommandError, match="POPULATION: Table RV0240.*lacks the municipalities 0784"
        ),
    ):
        call_command("import_statistics", "POPULATION")
    assert StatisticsImport.objects.get().error.startswith("POPULATION")


def test_the_monthly_task_imports(httpserver):
    from evaluation.tasks import import_official_statistics

    serve_statistics(httpserver, codes=["POPULATION"])
    with override_settings(
        STATISTICS_ESTONIA_API_URL=httpserver.url_for(API), STATISTICS_ESTONIA_RETRIES=0
    ):
        pk = import_official_statistics.delay().get()
    run = StatisticsImport.objects.get(pk=pk)
    assert run.created == 79 * YEARS
    # The indicators not served stop at their tables' queries; population is still stored.
    assert "CRIME_TOTAL" in run.error


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs on it)"
)
@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_store_each_value_once(httpserver):
    """The monthly task and the command started together: one stores the table, the other
    finds every value there, and neither fails."""
    serve_statistics(httpserver, codes=["POPULATION"])
    start = threading.Barrier(2)
    runs: list[StatisticsImport] = []

    def run() -> None:
        try:
            start.wait()
            own = Client(httpserver.url_for(API), retries=0, backoff=0, sleep=lambda _s: None)
            runs.append(import_statistics(api=own, codes=["POPULATION"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [r.error for r in runs] == ["", ""]
    assert sorted(r.created for r in runs) == [0, 79 * YEARS]
    assert OfficialValue.objects.of("POPULATION").count() == 79 * YEARS
