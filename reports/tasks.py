"""The worker's side of reports: each report rendered by a task, queued by enqueue() when it is
requested and again when its message never reached a worker."""

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from reports import rendering
from reports.models import Report
from turvaportaal.lib.queue import try_queue

logger = logging.getLogger(__name__)

# Errors that pass: the database or the file store briefly away.
TRANSIENT = (OperationalError, OSError)

# A report still queued after this long never reached a worker: the schedule sends it again.
STALLED_AFTER = timedelta(minutes=5)


@shared_task(
    bind=True,
    acks_late=True,
    # acks_late alone would lose a task whose worker is killed: reject it so it is redelivered.
    reject_on_worker_lost=True,
    max_retries=4,
    soft_time_limit=240,
    time_limit=300,
)
def render_report(self, report_id: int) -> None:  # type: ignore[no-untyped-def]
    """Render one report; a redelivered or repeated message finds it finished and stops.
    A report that fails for good is marked failed with the reason, for the user to read."""
    report = rendering.start_rendering(
        report_id, task_id=self.request.id or "", worker=self.request.hostname or ""
    )
    if report is None:
        return
    try:
        with rendering.keeping_the_lease(report):
            rendering.render(report)
    except SoftTimeLimitExceeded:
        rendering.fail(report_id, Report.Failure.TIMED_OUT)
    except TRANSIENT as error:
        if self.request.retries < self.max_retries:
            if self.request.is_eager:  # in-process (no queue): try again at once
                # The same task id, as a retry through the queue keeps: it holds the lease.
                self.apply(
                    args=[report_id], retries=self.request.retries + 1, task_id=self.request.id
                )
                return
            raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
        rendering.fail(report_id, Report.Failure.ERROR, f"{type(error).__name__}: {error}")
    except Exception as error:  # noqa: BLE001 (a failed report is an outcome the user reads)
        logger.exception("Report %s failed.", report_id)
        rendering.fail(report_id, Report.Failure.ERROR, f"{type(error).__name__}: {error}")


@shared_task
def requeue_stalled_reports() -> int:
    """Send again the reports queued while the queue was down (their message never reached a
    worker) and those whose worker died during the render (their lease ran out)."""
    now = timezone.now()
    stalled = Report.objects.stalled(
        queued_before=now - STALLED_AFTER, heartbeat_before=now - settings.REPORT_LEASE
    )
    return sum(enqueue(report) for report in stalled)


def enqueue(report: Report) -> bool:
    """Hand the report to the queue; with the queue down it stays queued, nothing is lost."""
    return try_queue(render_report, report.pk)


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def send_quarterly_programme_report() -> int:
    """The programme report of the quarter just ended, e-mailed to the programme managers."""
    report = rendering.quarterly_programme_report(timezone.localdate())
    return rendering.email_to_programme_managers(report)
