"""Reports on a real Celery worker (prefork, as deployed) over the local Redis and PostgreSQL:
rendered and downloadable, and produced exactly once when the worker's process is killed
mid-render."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import date
from io import StringIO

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import Report
from tests.conftest import WORKER, redis_url
from turvaportaal.celery import app as celery_app

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL names no Redis"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the worker process shares the test database only on PostgreSQL",
    ),
]

# A Redis database of its own, so that no message of another run reaches this worker.
WORKER_REDIS_DB = 15 - WORKER


@pytest.fixture
def worker(transactional_db, settings):
    """A worker as deployed: prefork, one child, late acknowledgement."""
    broker = redis_url(WORKER_REDIS_DB)
    redis.Redis.from_url(broker).flushdb()
    db = connection.settings_dict
    environment = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": broker,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "true",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "turvaportaal",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        env=environment,
        cwd=settings.BASE_DIR,
    )
    celery_app.conf.task_always_eager = False
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = broker
    celery_app._after_fork()
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        celery_app.conf.broker_url = previous
        celery_app._after_fork()


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.02)


def _status(report: Report) -> str:
    report.refresh_from_db()
    return report.status


def _request(kind: str, **subject) -> Report:
    report, accepted = services.request_report(
        kind=kind,
        language="et",
        user=None,
        period_start=date(timezone.localdate().year, 1, 1),
        period_end=timezone.localdate(),
        **subject,
    )
    assert accepted
    return report


def test_a_report_is_rendered_by_the_worker_and_downloadable(worker, client_for):
    call_command("seed_demo", stdout=StringIO())
    from accounts.models import User
    from programme.models import Participation

    participation = Participation.objects.get(municipality__ehak_code="0567")
    report = _request(Report.Kind.MUNICIPALITY, participation=participation)
    _wait_for(lambda: _status(report) == Report.Status.DONE)
    ministry = User.objects.get(email="ministry@example.org")
    response = client_for(ministry).get(reverse("report_download", args=[report.pk]))
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == report.sha256


def test_a_worker_killed_mid_render_still_produces_exactly_one_report(worker):
    call_command("seed_demo", stdout=StringIO())
    report = _request(Report.Kind.PROGRAMME)
    _wait_for(lambda: _status(report) == Report.Status.RUNNING)
    children = subprocess.run(
        ["pgrep", "-P", str(worker.pid)], capture_output=True, text=True, check=True
    ).stdout.split()
    for child in children:
        os.kill(int(child), signal.SIGKILL)  # the render dies with its process
    _wait_for(lambda: _status(report) in (Report.Status.DONE, Report.Status.FAILED), 120)
    assert report.status == Report.Status.DONE, report.failure_reason
    assert report.attempts == 2  # redelivered once, rendered once more
    assert Report.objects.count() == 1
    stored = os.listdir(os.path.join(settings.MEDIA_ROOT, "reports", str(report.pk)))
    assert stored == [os.path.basename(report.file.name)]
