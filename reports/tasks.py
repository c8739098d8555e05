import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError
from django.utils import timezone

from reports import services

logger = logging.getLogger(__name__)

# Errors that pass: the database or the file store briefly away.
TRANSIENT = (OperationalError, OSError)


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
    report = services.start_rendering(report_id)
    if report is None:
        return
    try:
        services.render(report)
    except SoftTimeLimitExceeded:
        services.fail(report_id, "The report took longer than 4 minutes to render.")
    except TRANSIENT as error:
        if self.request.retries < self.max_retries:
            if self.request.is_eager:  # in-process (no queue): try again at once
                self.apply(args=[report_id], retries=self.request.retries + 1)
                return
            raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
        services.fail(report_id, f"{type(error).__name__}: {error}")
    except Exception as error:  # noqa: BLE001 (a failed report is an outcome the user reads)
        logger.exception("Report %s failed.", report_id)
        services.fail(report_id, f"{type(error).__name__}: {error}")


@shared_task
def requeue_stalled_reports() -> int:
    """Send again the reports queued while the queue was down."""
    return services.requeue_stalled()


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def send_quarterly_programme_report() -> int:
    """The programme report of the quarter just ended, e-mailed to the programme managers."""
    report = services.quarterly_programme_report(timezone.localdate())
    return services.email_to_programme_managers(report)
