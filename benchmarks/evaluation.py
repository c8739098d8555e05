"""The official statistics: the import of every indicator with an official table for all 79
municipalities, through the real PxWeb client from a local server answering with the shipped
JSON-stat files (tests/data/statistics_estonia), and the ministry's programme page, which compares
the demo's participants with the rest."""

import logging
import time
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from pytest_httpserver import HTTPServer

from accounts.models import User
from benchmarks.pages import time_page
from benchmarks.signin import signed_in_client
from evaluation.models import OfficialValue
from evaluation.pxweb import Client
from evaluation.services import import_statistics
from tests.evaluation.conftest import API, serve_statistics


def run() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the local server's request log
    call_command("seed_demo", stdout=StringIO())
    server = HTTPServer()
    server.start()
    try:
        serve_statistics(server)
        started = time.perf_counter()
        run = import_statistics(api=Client(server.url_for(API)))
        seconds = time.perf_counter() - started
    finally:
        server.stop()
    if run.error:
        raise RuntimeError(run.error)
    print(f"statistics: {OfficialValue.objects.count()} values in {run.calls} calls")
    print(f"bench statistics_import_s {seconds:.2f} s")
    client = signed_in_client(User.objects.get(email="ministry@example.org"))
    timing = time_page(client, reverse("dashboard"))
    if timing.status != 200:
        raise RuntimeError(f"The programme page answered {timing.status}.")
    print(f"programme page: {timing.queries} queries, p95 {timing.p95_ms:.1f} ms")
    print(f"bench evaluation_page_ms {timing.median_ms:.1f} ms")
