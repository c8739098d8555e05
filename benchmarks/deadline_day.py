"""The deadline hour of the programme's first call, in a throwaway database: 80 municipality
officials (all 79 municipalities apply, one with two officials) save their application's sections
and upload council decisions of 5 MB, while 5 ministry staff read the applications coming in.

Two web processes as deployed (gunicorn, 3 sync workers each, production settings) share
PostgreSQL, Redis and a SeaweedFS bucket; half the users go to each. Locust runs
BENCH_DEADLINE_SECONDS (90 s). The goals: no request fails, and the 95th percentile of all
requests is under 500 ms."""

import os
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import redis
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import Role, User
from applications.models import Application
from applications.services import start_application
from benchmarks.load import run_locust, web_processes
from benchmarks.signin import session_cookie
from programme.models import Call, CallStartYear, Municipality
from tests.scaling.seaweedfs import seaweedfs_server

SECONDS = int(os.environ.get("BENCH_DEADLINE_SECONDS", "90"))
OFFICIALS = 80
STAFF = 5
DECISION_BYTES = 5 * 1024 * 1024
# A Redis database of the benchmark's own (cache and queue), emptied after it.
BENCH_REDIS = f"{os.environ.get('REDIS_URL', 'redis://127.0.0.1:6379/0').rsplit('/', 1)[0]}/15"


def council_decision_pdf(path: Path) -> None:
    """A one-page PDF of 5 MB: the decision with its annexes scanned in, as councils send them
    (random bytes, which no compression shrinks)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("lisad.bin", os.urandom(DECISION_BYTES))
    with path.open("wb") as pdf:
        writer.write(pdf)


def the_deadline_hour() -> dict[str, Any]:
    """The programme's first call an hour before its deadline, every municipality applying
    (one of them with two officials, 80 in all), and the officials' and staff's sessions and
    pages."""
    now = timezone.now()
    call = Call.objects.create(
        title="Turvalisuse arenguprogramm omavalitsustele, I etapp",
        stage=Call.Stage.FIRST,
        opens_at=now - timedelta(days=40),
        deadline_at=now + timedelta(hours=1),
    )
    year = timezone.localdate().year
    CallStartYear.objects.bulk_create(
        CallStartYear(call=call, year=year + n, places=8) for n in (1, 2)
    )
    applying = list(Municipality.objects.order_by("ehak_code"))
    applications: dict[int, Application] = {}
    officials = []
    for n in range(OFFICIALS):
        municipality = applying[n % len(applying)]
        official = User.objects.create_user(
            f"tahtaeg-{n}@example.org",
            full_name=f"Ametnik {n}",
            role=Role.MUNICIPALITY,
            municipality=municipality,
        )
        if municipality.pk not in applications:
            with transaction.atomic():
                applications[municipality.pk] = start_application(
                    call=call, municipality=municipality, user=official
                )
        application = applications[municipality.pk]
        cookie, session = session_cookie(official)
        officials.append(
            {
                "cookie": cookie,
                "session": session,
                "task_list": reverse("application_detail", args=[application.pk]),
                "sections": [
                    reverse("application_form", args=[application.pk]),
                    reverse("application_budget", args=[application.pk]),
                ],
                "decision": reverse("application_decision", args=[application.pk]),
            }
        )
    pages = [
        ("ministry start page", reverse("dashboard")),
        ("applications", reverse("application_list")),
        ("call", reverse("call_overview", args=[call.pk])),
        *(
            ("application", reverse("application_detail", args=[a.pk]))
            for a in applications.values()
        ),
    ]
    staff = []
    for n in range(STAFF):
        person = User.objects.create_user(
            f"ministeerium-{n}@example.org",
            full_name=f"Ministeeriumi töötaja {n}",
            role=Role.MINISTRY,
        )
        cookie, session = session_cookie(person)
        staff.append({"cookie": cookie, "session": session, "pages": pages})
    return {"officials": officials, "staff": staff}


def run() -> None:
    config = the_deadline_hour()
    with tempfile.TemporaryDirectory() as folder, seaweedfs_server(Path(folder)) as store:
        bucket = f"deadline-{uuid.uuid4().hex[:8]}"
        store.client().create_bucket(Bucket=bucket)
        pdf = Path(folder) / "otsus.pdf"
        council_decision_pdf(pdf)
        database = str(connection.settings_dict["NAME"])
        environment = store.environment(bucket) | {"REDIS_URL": BENCH_REDIS}
        with web_processes(database, 2, environment) as hosts:
            stats = run_locust(
                hosts,
                config | {"pdf": str(pdf)},
                ["Official", "MinistryStaff"],
                OFFICIALS + STAFF,
                SECONDS,
                spawn_rate=10,
            )
        uploaded = len(store.keys(bucket))
    redis.Redis.from_url(BENCH_REDIS).flushdb()
    print(
        f"deadline day: {stats['Request Count']} requests in {SECONDS} s "
        f"({float(stats['Requests/s']):.1f}/s), {uploaded} council decisions stored"
    )
    print(f"bench deadline_day_p95_ms {float(stats['95%']):.0f} ms")
    print(f"bench deadline_day_errors {stats['Failure Count']} errors")
