"""Every page, as each role that can open it, at N=1 and N=100 times Estonia's size: server
time of warm requests in the process (median and p95) and the queries of one request.

Every GET route of the URL configuration is tried for each role with the objects the role
may see in Estonia's copy (the same rows at every scale); a route the role may not open, that
needs an object the demo data has none of, or answers with a file rather than a page, is left
out (the list of those is printed). The search boxes' JSON answers are timed apart."""

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from actionplans.models import ActionPlan, Indicator
from applications.models import Application
from benchmarks.scaled import scaled_database
from benchmarks.signin import signed_in_client
from counselling.models import CounsellingSession
from learning.models import SharingEvent, Training
from practices.models import Practice
from programme.models import Call, Municipality, Participation, ServiceProvider
from reports.models import Report
from turvaportaal.lib.routes import named_routes

ROLES = {
    "municipality": "kov-0668@example.org",
    "ministry": "ministry@example.org",
    "provider": "provider@example.org",
    "admin": "admin@example.org",
}
HOME = "0668"  # Rapla vald: in the programme, counselled, with a plan and a ledger
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
LARGE = int(os.environ.get("BENCH_SCALE", "100"))


@dataclass
class Timing:
    median_ms: float
    p95_ms: float
    queries: int
    status: int  # of the last request: a page that stops answering 200 is not measured


def _pick(queryset: QuerySet[Any], **preferred: Any) -> Any:
    """The preferred object if the role sees it, else the first it sees."""
    return queryset.filter(**preferred).order_by("pk").first() or queryset.order_by("pk").first()


def _kwargs(user: User) -> dict[str, Callable[[], dict[str, Any] | None]]:
    """How to fill each route's parameters with objects this user may see."""

    def of(obj: Model | None, key: str = "pk", attr: str = "pk") -> dict[str, Any] | None:
        return None if obj is None else {key: getattr(obj, attr)}

    home = {"participation__municipality__ehak_code": HOME}
    call = lambda: of(Call.objects.filter(title__endswith="(demo)").order_by("-pk").first())  # noqa: E731
    application = lambda: of(  # noqa: E731
        _pick(
            Application.objects.visible_to(user), call__title__endswith="(demo)", status="submitted"
        )
    )
    plan = lambda: of(_pick(ActionPlan.objects.visible_to(user), **home))  # noqa: E731
    participation = lambda: of(  # noqa: E731
        _pick(Participation.objects.visible_to(user), municipality__ehak_code=HOME)
    )
    session = lambda: of(_pick(CounsellingSession.objects.visible_to(user), **home))  # noqa: E731
    training = lambda: of(Training.objects.order_by("pk").first())  # noqa: E731
    event = lambda: of(SharingEvent.objects.order_by("pk").first())  # noqa: E731
    practice = lambda: of(_pick(Practice.objects.visible_to(user)))  # noqa: E731
    report = lambda: of(_pick(Report.objects.visible_to(user)))  # noqa: E731

    def decision() -> dict[str, Any] | None:
        found = application()
        if found is None:
            return None
        obj = Application.objects.get(pk=found["pk"]).council_decisions.order_by("pk").first()
        return None if obj is None else found | {"decision_pk": obj.pk}

    by_name: dict[str, Callable[[], dict[str, Any] | None]] = {
        "password_reset_confirm": lambda: {"uidb64": "MQ", "token": "abc-0123456789abcdef"},
        "invitation_accept": lambda: {"token": "benchmark"},
        "municipality_detail": lambda: of(
            _pick(Municipality.objects.visible_to(user), ehak_code=HOME), "ehak_code", "ehak_code"
        ),
        "provider_edit": lambda: of(ServiceProvider.objects.order_by("pk").first()),
        "application_decision_download": decision,
        "indicator_edit": lambda: of(Indicator.objects.order_by("pk").first()),
        "ledger": participation,
        "budget_change": participation,
    }
    for name in ["call_edit", "call_overview", "evaluation_overview", "evaluation_criteria"]:
        by_name[name] = call
    by_name["selection"] = call
    for name in ["detail", "form", "budget", "activities", "decision", "receipt"]:
        by_name[f"application_{name}"] = application
    by_name["consensus"] = application
    for name in ["detail", "text", "problems", "goals", "activities", "indicators"]:
        by_name[f"plan_{name}"] = plan
    by_name["plan_revisions"] = by_name["plan_updates"] = plan
    by_name["session_detail"] = by_name["session_edit"] = session
    for name in ["detail", "edit", "register", "attendance"]:
        by_name[f"training_{name}"] = training
    by_name["sharing_detail"] = by_name["sharing_edit"] = event
    by_name["practice_detail"] = by_name["practice_edit"] = practice
    by_name["report_detail"] = by_name["report_status"] = report
    return by_name


def _count(queries: list[str], execute: Any, sql: str, *args: Any) -> Any:
    queries.append(sql)
    return execute(sql, *args)


def time_page(client: Client, url: str, repeat: int = REPEAT) -> Timing:
    """Median and p95 of warm requests; the queries of the last one."""
    return time_pages(client, [url], repeat)[0]


def time_pages(client: Client, urls: list[str], repeat: int = REPEAT) -> list[Timing]:
    """time_page for each address, requested in turn: pages compared with each other share the
    machine's slower and faster moments."""
    times: list[list[float]] = [[] for _ in urls]
    last: list[tuple[int, int]] = [(0, 0) for _ in urls]  # (queries, status)
    for _ in range(repeat):
        for index, url in enumerate(urls):
            # Counted by a wrapper: CaptureQueriesContext slices connection.queries, which each
            # request empties at its start (reset_queries), so it can miss a request's queries.
            executed: list[str] = []
            with connection.execute_wrapper(partial(_count, executed)):
                started = time.perf_counter()
                response = client.get(url)
                times[index].append((time.perf_counter() - started) * 1000)
            last[index] = (len(executed), response.status_code)
    timings = []
    for url, taken, (queries, status) in zip(urls, times, last, strict=True):
        taken.sort()
        p95 = taken[min(len(taken) - 1, round(0.95 * (len(taken) - 1)))]
        if status != 200:
            print(f"page {url}: answered {status} while timed; left out")
        timings.append(Timing(statistics.median(taken), p95, queries, status))
    return timings


def pages_of(user: User) -> tuple[dict[str, str], list[str]]:
    """The pages (route name: URL) this user opens, and the routes left out with why."""
    client = signed_in_client(user)
    fill = _kwargs(user)
    pages, left_out = {}, []
    for name, params in named_routes().items():
        kwargs = fill[name]() if name in fill else ({} if not params else None)
        if kwargs is None:
            left_out.append(f"{name} (no object)")
            continue
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            left_out.append(f"{name} (parameters)")
            continue
        response = client.get(url)
        if response.status_code != 200:
            left_out.append(f"{name} ({response.status_code})")
        elif not response.get("Content-Type", "").startswith("text/html"):
            left_out.append(f"{name} (a file)")
        else:
            pages[name] = url
    return pages, left_out


def measure_scale(scale: int) -> dict[tuple[str, str], Timing]:
    results = {}
    with scaled_database(scale):
        for role, email in ROLES.items():
            user = User.objects.get(email=email)
            pages, left_out = pages_of(user)
            if scale == 1:
                print(f"pages {role}: {len(pages)} pages; left out: {', '.join(left_out)}")
            client = signed_in_client(user)
            for name, url in pages.items():
                timing = time_page(client, url)
                if timing.status == 200:
                    results[(role, name)] = timing
    return results


# The search boxes' answers (JSON, so not among the pages), as ministry staff, who search all.
SEARCHES = ["municipality_search", "participation_search"]


def measure_searches() -> dict[str, Timing]:
    with scaled_database(LARGE):
        client = signed_in_client(User.objects.get(email=ROLES["ministry"]))
        return {name: time_page(client, f"{reverse(name)}?q=rapla") for name in SEARCHES}


def run() -> None:
    if connection.vendor != "postgresql":
        print("pages: on SQLite; the goals are set for PostgreSQL (DATABASE_URL)")
    small = measure_scale(1)
    large = measure_scale(LARGE)
    slowest = sorted(large.items(), key=lambda item: item[1].p95_ms, reverse=True)
    for (role, name), timing in slowest[:15]:
        queries = small[(role, name)].queries if (role, name) in small else "-"
        print(
            f"page {name} as {role}: N={LARGE} median {timing.median_ms:.1f} ms, "
            f"p95 {timing.p95_ms:.1f} ms, queries {queries} -> {timing.queries}"
        )
    growth = {key: large[key].queries - small[key].queries for key in small.keys() & large.keys()}
    for (role, name), change in sorted(growth.items(), key=lambda item: -abs(item[1])):
        if change:
            print(
                f"page {name} as {role}: queries {small[(role, name)].queries} -> "
                f"{large[(role, name)].queries}"
            )
    print(f"bench page_count {len(large)} pages")
    print(f"bench page_p95_ms_max {slowest[0][1].p95_ms:.1f} ms")
    print(f"bench page_median_ms_max {max(t.median_ms for t in large.values()):.1f} ms")
    print(f"bench page_queries_growth {max((abs(c) for c in growth.values()), default=0)} queries")
    searches = measure_searches()
    for name, timing in searches.items():
        print(
            f"search {name}: N={LARGE} median {timing.median_ms:.1f} ms, "
            f"p95 {timing.p95_ms:.1f} ms, queries {timing.queries}"
        )
    print(f"bench search_p95_ms_max {max(t.p95_ms for t in searches.values()):.1f} ms")
