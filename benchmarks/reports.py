"""The reports: the programme report for the 16 participations with a year of data, and one
municipality's report, each rendered in a warm worker process (the second render of the same
kind is timed; peak memory is the worker process's own); and reports a minute of one and of two
real Celery workers (prefork, as deployed) rendering the programme report and the 16 municipality
reports, over Redis (REDIS_URL) and this database."""

import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.db import connections
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.models import User
from actionplans.models import (
    ActionPlan,
    Activity,
    Component,
    Indicator,
    Measurement,
    PlanIndicator,
)
from actionplans.services import start_plan
from counselling.models import CounsellingSession, NextStep
from grants.models import LedgerEntry
from learning.models import Organiser, Training, TrainingParticipant, TrainingType
from programme.models import Participation
from reports import documents
from reports.models import Report
from reports.pdf import render_pdf
from reports.tasks import render_report

INDICATORS = ["BUILDING_FIRES", "ALCOHOL_SALES_VIOLATIONS", "FEELING_SAFE"]


def a_year_of_data() -> list[Participation]:
    """The demo's 16 participations, each with a plan, three indicators measured monthly,
    a year of ledger entries, counselling twice a month and trainings attended."""
    call_command("seed_demo", stdout=StringIO())
    today = timezone.localdate()
    provider = User.objects.get(email="provider@example.org")
    participations = list(Participation.objects.select_related("municipality"))
    indicators = list(Indicator.objects.filter(code__in=INDICATORS, municipality=None))
    trainings = [
        Training.objects.create(
            title=f"Koolitus {n}",
            training_type=kind,
            organiser=Organiser.TAI,
            starts_on=today - timedelta(days=30 * n),
            is_online=True,
            capacity=200,
        )
        for n, kind in enumerate(TrainingType, 1)
    ]
    for participation in participations:
        plan = ActionPlan.objects.filter(participation=participation).first() or start_plan(
            participation=participation
        )
        if not plan.activities.exists():
            Activity.objects.bulk_create(
                Activity(
                    plan=plan,
                    title=str(component.label)[:80],
                    component=component,
                    start_month=1,
                    end_month=12,
                    responsible="Koordinaator",
                )
                for component in Component
            )
        for indicator in indicators:
            monitored, _ = PlanIndicator.objects.get_or_create(
                plan=plan,
                indicator=indicator,
                defaults={
                    "baseline_value": Decimal("10"),
                    "baseline_on": today - timedelta(days=400),
                    "target_value": Decimal("6"),
                    "target_on": today + timedelta(days=300),
                },
            )
            Measurement.objects.bulk_create(
                Measurement(
                    plan_indicator=monitored,
                    value=Decimal(10 - month % 4),
                    measured_on=today - timedelta(days=30 * month + 1),
                )
                for month in range(12)
                if not monitored.measurements.exists()
            )
        line = participation.budget_lines.first()
        LedgerEntry.objects.bulk_create(
            LedgerEntry(
                participation=participation,
                kind=LedgerEntry.Kind.EXPENDITURE,
                amount=Decimal("120.50"),
                entry_on=max(participation.start_on, today - timedelta(days=7 * week)),
                budget_line=line,
                description="Arve",
                supplier="Tarnija OÜ",
                invoice_number=f"B-{week}",
            )
            for week in range(50)
        )
        sessions = CounsellingSession.objects.bulk_create(
            CounsellingSession(
                participation=participation,
                service_provider=provider.service_provider,
                held_on=max(participation.start_on, today - timedelta(days=15 * n)),
                duration_hours=Decimal("1.5"),
                format=CounsellingSession.Format.ONLINE,
                topics=["action_plan", "indicators"],
                summary="Kohtumine",
                attendee_count=3,
                logged_by=provider,
            )
            for n in range(24)
        )
        NextStep.objects.bulk_create(
            NextStep(session=s, description="Samm", owner="Koordinaator", due_on=s.held_on)
            for s in sessions
        )
        TrainingParticipant.objects.bulk_create(
            TrainingParticipant(
                training=training,
                municipality=participation.municipality,
                name=f"Osaleja {n}",
                kind=TrainingParticipant.Kind.OFFICIAL,
                role="spetsialist",
                attended=True,
            )
            for training in trainings
            for n in range(3)
        )
    return participations


def _timed_in_a_worker(render: Callable[[], bytes]) -> tuple[float, float, int]:
    """Render twice in a fresh process, time the second (warm) render; return it, the
    process's peak memory in MB and the page count."""
    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(read)
        render()
        started = time.perf_counter()
        pdf = render()
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        os.write(write, f"{seconds} {peak_mb} {pages}".encode())
        os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode()
    os.waitpid(pid, 0)
    measured_s, measured_mb, page_count = answer.split()
    return float(measured_s), float(measured_mb), int(page_count)


def run() -> None:
    participations = a_year_of_data()
    today = timezone.localdate()
    start = today - timedelta(days=365)

    def programme() -> bytes:
        with translation.override("et"):
            return render_pdf(
                documents.programme_report(period_start=start, period_end=today), language="et"
            )

    def municipality() -> bytes:
        with translation.override("et"):
            return render_pdf(
                documents.municipality_report(
                    participation=participations[0], period_start=start, period_end=today
                ),
                language="et",
            )

    seconds, peak_mb, pages = _timed_in_a_worker(programme)
    print(f"bench programme_report_s {seconds:.2f} s")
    print(f"bench programme_report_peak_mb {peak_mb:.0f} MB")
    print(f"bench programme_report_pages {pages} pages")
    seconds, _, _ = _timed_in_a_worker(municipality)
    print(f"bench municipality_report_s {seconds:.2f} s")

    if not os.environ.get("REDIS_URL"):
        print("bench: REDIS_URL is not set; reports_per_minute needs Redis and real workers")
        return
    for workers in (1, 2):
        per_minute = _reports_per_minute(workers, participations, start, today)
        name = "1_worker" if workers == 1 else f"{workers}_workers"
        print(f"bench reports_per_minute_{name} {per_minute:.0f} reports/min")


def _reports_per_minute(
    workers: int, participations: list[Participation], start: date, end: date
) -> float:
    """The programme report and the 16 municipality reports sent to the given number of warm
    workers at once: how many they render a minute, from sending until the last is stored."""
    queue = f"bench-reports-{os.getpid()}"  # no other worker on the same Redis takes them
    db = connections["default"].settings_dict
    with tempfile.TemporaryDirectory(prefix="turvaportaal-bench-") as media:
        environment = os.environ | {
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "MEDIA_ROOT": media,
            "LOG_LEVEL": "WARNING",
        }
        started = [
            subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "turvaportaal", "worker", "--pool",
                 "prefork", "--concurrency", "1", "--queues", queue, "--hostname",
                 f"bench{number}@%h", "--loglevel", "WARNING", "--without-heartbeat",
                 "--without-mingle", "--without-gossip"],
                env=environment,
                stdout=subprocess.DEVNULL,  # its banner; the figures are this process's output
            )
            for number in range(workers)
        ]  # fmt: skip
        try:
            # Warm each worker's child (WeasyPrint's imports and fonts) before timing.
            warm_up = [_municipality(participations[0], start, end) for _ in range(2 * workers)]
            _render_all(queue, warm_up)
            reports = [_programme(start, end)] + [
                _municipality(participation, start, end) for participation in participations
            ]
            began = time.perf_counter()
            _render_all(queue, reports)
            return len(reports) / (time.perf_counter() - began) * 60
        finally:
            for process in started:
                process.terminate()
                process.wait(timeout=60)


def _municipality(participation: Participation, start: date, end: date) -> Report:
    return Report(
        kind=Report.Kind.MUNICIPALITY,
        language="et",
        participation=participation,
        period_start=start,
        period_end=end,
    )


def _programme(start: date, end: date) -> Report:
    return Report(kind=Report.Kind.PROGRAMME, language="et", period_start=start, period_end=end)


def _render_all(queue: str, reports: list[Report]) -> None:
    saved = []
    for report in reports:
        report.pk = None
        report.version = Report.objects.next_version(report)
        report.save()
        saved.append(report.pk)
    for pk in saved:
        render_report.apply_async(args=[pk], queue=queue)
    while Report.objects.filter(pk__in=saved, status=Report.Status.DONE).count() < len(saved):
        failed = Report.objects.filter(pk__in=saved, status=Report.Status.FAILED).first()
        if failed is not None:
            raise RuntimeError(f"A report failed: {failed.failure_text}")
        time.sleep(0.1)
