"""The portal as several processes: two gunicorn web processes and two Celery workers sharing
PostgreSQL, Redis and SeaweedFS; and a report whose whole worker was killed taken up again by
another worker once its lease runs out."""

import os
import time
from datetime import timedelta
from io import StringIO

import pytest
import redis
import requests
from django.conf import global_settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conversations.models import Attachment
from reports import services, tasks
from reports.models import Report
from tests.conftest import WORKER, make_persona, redis_url
from tests.counselling.conftest import make_participation
from tests.factories import PASSWORD, pdf_bytes
from tests.scaling.processes import (
    form_token,
    free_ports,
    kill_whole,
    portal_environment,
    start_web,
    start_worker,
    stop,
    wait_for,
    web_is_up,
)
from turvaportaal.celery import app as celery_app

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL names no Redis"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the processes share the test database only on PostgreSQL",
    ),
]

# Generous: the machine running the suite may be busy with other tests.
STARTED_WITHIN = 120
RENDERED_WITHIN = 300


@pytest.fixture
def broker(transactional_db, settings):
    """A Redis database of its own for the processes' queue and cache (tests of a real worker
    take 15, 14, ...), and the test's tasks sent to it, not run in the test."""
    address = redis_url(15 - WORKER)
    redis.Redis.from_url(address).flushdb()
    # Leases of seconds, so that a dead worker's report comes back within the test.
    settings.REPORT_HEARTBEAT = timedelta(seconds=1)
    settings.REPORT_LEASE = 4 * settings.REPORT_HEARTBEAT
    celery_app.conf.task_always_eager = False
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = address
    celery_app._after_fork()
    yield address
    celery_app.conf.broker_url = previous
    celery_app._after_fork()


@pytest.fixture
def processes():
    """Started processes, stopped at the end of the test whatever happens."""
    started = []
    yield started
    for process in started:
        stop(process)


def _report(pk: int) -> Report:
    return Report.objects.get(pk=pk)


def test_two_web_processes_and_two_workers_share_files_sessions_and_reports(
    broker, bucket, seaweedfs, processes
):
    kov_a = make_persona("kov_a")
    # The password as the portal's own processes hash it (the suite's hasher is a fast one).
    with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
        kov_a.set_password(PASSWORD)
    kov_a.save(update_fields=["password"])
    participation = make_participation(kov_a)
    environment = portal_environment(broker, seaweedfs.environment(bucket))
    ports = free_ports(2)
    one, other = (f"http://127.0.0.1:{port}" for port in ports)
    processes += [start_web(environment, port) for port in ports]
    processes += [start_worker(environment, name) for name in ("first", "second")]
    for address in (one, other):
        wait_for(lambda address=address: web_is_up(address), STARTED_WITHIN, f"{address} up")

    # Signed in through one process, the session is good on the other.
    browser = requests.Session()
    browser.cookies.set("django_language", "en")
    login = one + reverse("login")
    signed_in = browser.post(
        login,
        {
            "csrfmiddlewaretoken": form_token(browser.get(login).text),
            "username": kov_a.email,
            "password": PASSWORD,
        },
        headers={"Referer": login},
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.text[-2000:]
    thread = reverse("conversation", args=[participation.pk])
    page = browser.get(other + thread, allow_redirects=False)
    assert page.status_code == 200

    # A file uploaded through one process is downloaded through the other.
    posted = browser.post(
        one + thread,
        {"csrfmiddlewaretoken": form_token(page.text), "body": "Eelarve"},
        files={"attachments": ("eelarve.pdf", pdf_bytes(), "application/pdf")},
        headers={"Referer": one + thread},
        allow_redirects=False,
    )
    assert posted.status_code == 302, posted.text[-2000:]
    stored = Attachment.objects.get()
    assert seaweedfs.keys(bucket) == [stored.file.name]
    download = browser.get(
        other + reverse("conversation_attachment", args=[participation.pk, stored.pk])
    )
    assert download.status_code == 200 and download.content == pdf_bytes()

    # Reports requested through either process, 2 and then 100, each rendered exactly once.
    request_page = reverse("report_request_municipality")
    today = timezone.localdate()
    period = {
        "participation": participation.pk,
        "period_start": today.replace(month=1, day=1).isoformat(),
        "period_end": today.isoformat(),
    }
    token = form_token(browser.get(one + reverse("report_list")).text)
    for number in range(102):
        address = (one, other)[number % 2]
        asked = browser.post(
            address + request_page,
            {"csrfmiddlewaretoken": token, **period},
            headers={"Referer": address + request_page},
            allow_redirects=False,
        )
        assert asked.status_code == 302 and "/reports/" in asked.headers["Location"], asked.text
    assert Report.objects.count() == 102
    wait_for(
        lambda: Report.objects.filter(status=Report.Status.DONE).count() == 102,
        RENDERED_WITHIN,
        "102 reports rendered",
    )
    reports = list(Report.objects.all())
    assert sorted(report.version for report in reports) == list(range(1, 103))
    assert {report.attempts for report in reports} == {1}
    assert {report.worker.split("@")[0] for report in reports} == {"first", "second"}
    report_files = [key for key in seaweedfs.keys(bucket) if key.startswith("reports/")]
    assert sorted(report_files) == sorted(report.file.name for report in reports)


def test_a_report_whose_whole_worker_was_killed_is_rendered_once_by_another(
    broker, bucket, seaweedfs, processes, settings
):
    call_command("seed_demo", stdout=StringIO())
    environment = portal_environment(broker, seaweedfs.environment(bucket))
    dying = start_worker(environment, "dying")
    processes.append(dying)
    report, accepted = services.request_report(
        kind=Report.Kind.PROGRAMME,
        language="et",
        user=None,
        period_start=timezone.localdate().replace(month=1, day=1),
        period_end=timezone.localdate(),
    )
    assert accepted
    wait_for(lambda: _report(report.pk).status == Report.Status.RUNNING, STARTED_WITHIN, "render")
    kill_whole(dying)
    killed_at = time.monotonic()
    processes.append(start_worker(environment, "taking-over"))

    # The requeue schedule, run as beat would, every second here (every minute deployed).
    def taken_up() -> bool:
        tasks.requeue_stalled_reports()
        return _report(report.pk).attempts == 2

    # The README's promise, with the test's lease of 4 s and its schedule of 1 s.
    promised = settings.REPORT_LEASE.total_seconds() + 1
    wait_for(taken_up, promised + STARTED_WITHIN, "the report taken up again", every=1)
    wait_for(lambda: _report(report.pk).is_finished(), RENDERED_WITHIN, "the report finished")
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.failure_reason
    assert report.attempts == 2 and report.worker.startswith("taking-over@")
    assert Report.objects.count() == 1
    rendered = [key for key in seaweedfs.keys(bucket) if key.startswith("reports/")]
    assert rendered == [report.file.name]
    assert time.monotonic() - killed_at < promised + STARTED_WITHIN + RENDERED_WITHIN
