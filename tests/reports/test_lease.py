"""The lease of a render: a report whose worker stopped renewing it is sent again and taken over;
one whose worker is alive is left to it, however often its message comes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports import rendering, tasks
from reports.models import Report
from tests.reports.test_pipeline import municipality_report, participation  # noqa: F401


def _running(report: Report, task_id: str, heartbeat_age: timedelta) -> None:
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING,
        task_id=task_id,
        worker="first@host",
        attempts=1,
        started_at=timezone.now() - heartbeat_age,
        heartbeat_at=timezone.now() - heartbeat_age,
    )


def test_a_live_render_is_left_to_its_worker(kov_a, participation, settings):  # noqa: F811
    report, _ = municipality_report(kov_a, participation)
    _running(report, "first-task", heartbeat_age=settings.REPORT_LEASE / 2)
    assert rendering.start_rendering(report.pk, task_id="second-task") is None
    assert tasks.requeue_stalled_reports() == 0
    # Its own message delivered again means its earlier run died: it takes the report again.
    taken = rendering.start_rendering(report.pk, task_id="first-task", worker="first@other")
    assert taken is not None and (taken.attempts, taken.worker) == (2, "first@other")


def test_a_report_whose_worker_stopped_renewing_the_lease_is_rendered_by_another(
    kov_a,
    participation,  # noqa: F811
    settings,
):
    report, _ = municipality_report(kov_a, participation)
    _running(report, "dead-task", heartbeat_age=settings.REPORT_LEASE * 2)
    assert tasks.requeue_stalled_reports() == 1  # rendered in-process here
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert report.attempts == 2 and report.task_id != "dead-task"


@pytest.mark.django_db(transaction=True)  # the renewals come from a thread of their own
def test_the_lease_is_renewed_while_the_render_runs(kov_a, participation, settings):  # noqa: F811
    settings.REPORT_HEARTBEAT = timedelta(milliseconds=50)
    report, _ = municipality_report(kov_a, participation)
    _running(report, "the-task", heartbeat_age=timedelta(hours=1))
    report.refresh_from_db()
    with rendering.keeping_the_lease(report):
        deadline = timezone.now() + timedelta(seconds=30)
        while Report.objects.get(pk=report.pk).heartbeat_at < timezone.now() - timedelta(minutes=1):
            assert timezone.now() < deadline, "the lease was not renewed"
    assert (
        Report.objects.stalled(
            queued_before=timezone.now(), heartbeat_before=timezone.now() - timedelta(minutes=1)
        ).count()
        == 0
    )
