"""The programme-wide ledger page and the entries export, at 80 and at 100 000 entries."""

import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.testing import force_login
from grants.models import BudgetLine, ExpenditureReview, LedgerEntry
from programme.models import Cohort, County, Municipality, Participation

PARTICIPATIONS = 80
LARGE = 100_000


def participations() -> list[Participation]:
    """80 participations (Estonia has 79 municipalities; one more is made up), 3 lines each."""
    municipalities = list(Municipality.objects.order_by("pk"))
    county = County.objects.get(ehak_code="0037")
    while len(municipalities) < PARTICIPATIONS:
        municipalities.append(
            Municipality.objects.create(
                ehak_code=f"9{len(municipalities):03}",
                name=f"Bench {len(municipalities)}",
                kind="vald",
                county=county,
            )
        )
    cohort, _ = Cohort.objects.get_or_create(stage=2, start_year=2026)
    today = timezone.localdate()
    created = Participation.objects.bulk_create(
        Participation(
            municipality=municipality,
            cohort=cohort,
            start_on=today - timedelta(days=400),
            end_on=today + timedelta(days=330),
            source="import",
        )
        for municipality in municipalities
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(participation=p, category=c, description=c, amount=Decimal("11666.66"))
        for p in created
        for c in ("staff", "training", "other")
    )
    return created


def add_entries(count: int, rng: random.Random) -> None:
    lines: dict[int, list[int]] = {}
    for pk, participation_id in BudgetLine.objects.values_list("pk", "participation_id"):
        lines.setdefault(participation_id, []).append(pk)
    ids = sorted(lines)
    rows = []
    for index in range(count):
        participation_id = ids[index % len(ids)]
        disbursement = index % 10 == 0
        rows.append(
            LedgerEntry(
                participation_id=participation_id,
                kind="disbursement" if disbursement else "expenditure",
                amount=Decimal(rng.randint(1, 50000)) / 100,
                entry_on=timezone.localdate() - timedelta(days=rng.randint(0, 390)),
                budget_line_id=None if disbursement else rng.choice(lines[participation_id]),
                description="Arve",
                supplier="Tarnija OÜ",
                invoice_number=f"A-{index}",
            )
        )
    created = LedgerEntry.objects.bulk_create(rows, batch_size=5000)
    ExpenditureReview.objects.bulk_create(
        (
            ExpenditureReview(entry=entry, is_approved=index % 7 != 0, reason="Ei sobi")
            for index, entry in enumerate(created)
            if entry.kind == "expenditure" and index % 2 == 0
        ),
        batch_size=5000,
    )


def measure(client: Client, url: str, repeat: int) -> tuple[float, int]:
    """Median server time of warm requests, and the queries of one."""
    client.get(url)
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return statistics.median(times), queries


def run() -> None:
    rng = random.Random(2026)
    ministry = User.objects.create(email="bench@sim.example", full_name="Bench", role=Role.MINISTRY)
    client = force_login(Client(), ministry)
    overview = reverse("ledger_overview")

    participations()
    add_entries(PARTICIPATIONS, rng)
    _small_time, small_queries = measure(client, overview, repeat=3)
    add_entries(LARGE - PARTICIPATIONS, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    large_time, large_queries = measure(client, overview, repeat=9)
    xlsx_time, _queries = measure(client, reverse("ledger_entries_export", args=["xlsx"]), 1)

    print(f"bench ledger_overview_ms {large_time * 1000:.1f} ms")
    print(f"bench ledger_overview_queries_small {small_queries} queries")
    print(f"bench ledger_overview_queries_large {large_queries} queries")
    print(f"bench ledger_xlsx_s {xlsx_time:.2f} s")
