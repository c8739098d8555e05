"""Rendering a report to PDF, once, and the quarterly programme report; run by the worker's
tasks in reports.tasks."""

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from notifications.models import Kind
from notifications.services import notify
from reports import documents
from reports.models import Report


def _document(report: Report) -> documents.Document:
    if report.kind == Report.Kind.MUNICIPALITY:
        assert report.participation and report.period_start and report.period_end
        return documents.municipality_report(
            participation=report.participation,
            period_start=report.period_start,
            period_end=report.period_end,
        )
    if report.kind == Report.Kind.PROGRAMME:
        assert report.period_start and report.period_end
        return documents.programme_report(
            period_start=report.period_start, period_end=report.period_end
        )
    assert report.application
    return documents.application_document(application=report.application)


def start_rendering(report_id: int, task_id: str = "", worker: str = "") -> Report | None:
    """Take the report's lease and mark it running, unless it is already finished (a message
    delivered again) or another task's render of it is alive (the report was sent again while
    its worker was only slow). The same task taking it again means its earlier run died."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        now = timezone.now()
        if report.is_finished() or report.is_leased(task_id, now):
            return None
        report.status = Report.Status.RUNNING
        report.started_at = report.heartbeat_at = now
        report.task_id, report.worker = task_id, worker
        report.attempts += 1
        report.save(
            update_fields=["status", "started_at", "heartbeat_at", "task_id", "worker", "attempts"]
        )
    return report


@contextmanager
def keeping_the_lease(report: Report) -> Iterator[None]:
    """Renew the report's lease every REPORT_HEARTBEAT while the block runs, from a thread of
    its own: a render is one long call. When the worker dies, the renewals stop with it."""
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(settings.REPORT_HEARTBEAT.total_seconds()):
                Report.objects.filter(
                    pk=report.pk, status=Report.Status.RUNNING, task_id=report.task_id
                ).update(heartbeat_at=timezone.now())
        finally:
            connections.close_all()  # the connections of this thread only

    thread = threading.Thread(target=renew, name=f"report-{report.pk}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def render(report: Report) -> Report:
    """Render the report to PDF and store it under its one name, with size and checksum; who
    asked for it is told it is ready."""
    from reports.pdf import render_pdf  # WeasyPrint loads only where reports are rendered

    with translation.override(report.language):
        content = render_pdf(_document(report), language=report.language)
    if report.file:
        report.file.delete(save=False)  # a redelivered render replaces its own file
    report.file.save("report.pdf", ContentFile(content), save=False)
    report.size = len(content)
    report.sha256 = hashlib.sha256(content).hexdigest()
    report.status = Report.Status.DONE
    report.failure, report.failure_reason = "", ""
    report.finished_at = timezone.now()
    finished = ["file", "size", "sha256", "status", "failure", "failure_reason", "finished_at"]
    with transaction.atomic():
        report.save(update_fields=finished)
        # The quarterly report nobody asked for is e-mailed to the ministry instead.
        if (person := report.requested_by) is not None:
            # The notice keeps the report's name as it reads now: in the requester's language.
            with translation.override(person.language):
                notify(
                    Kind.REPORT_READY,
                    recipients=[person],
                    about=report,
                    link=reverse("report_detail", args=[report.pk]),
                )
    return report


@transaction.atomic
def fail(report_id: int, failure: Report.Failure, error: str = "") -> None:
    """Mark the report failed: why as a code, worded when read, and the error raised; who asked
    for it is told."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("requested_by")
        .get(pk=report_id)
    )
    if report.status == Report.Status.DONE:
        return
    told = report.status == Report.Status.FAILED
    report.status = Report.Status.FAILED
    report.failure, report.failure_reason = failure, error
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "failure", "failure_reason", "finished_at"])
    if not told and (person := report.requested_by) is not None:
        with translation.override(person.language):
            notify(
                Kind.REPORT_FAILED,
                recipients=[person],
                about=report,
                link=reverse("report_detail", args=[report.pk]),
            )


def previous_quarter(today: date) -> tuple[date, date]:
    first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_quarter - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def quarterly_programme_report(today: date) -> Report:
    """The programme report of the quarter that just ended, made once however often asked."""
    start, end = previous_quarter(today)
    report = Report.objects.filter(
        kind=Report.Kind.PROGRAMME, requested_by=None, period_start=start, period_end=end
    ).first()
    if report is None:
        report = Report(
            kind=Report.Kind.PROGRAMME,
            language=settings.LANGUAGE_CODE,
            period_start=start,
            period_end=end,
        )
        report.version = Report.objects.next_version(report)
        report.save()
    if not report.is_finished() and start_rendering(report.pk):
        report = render(Report.objects.get(pk=report.pk))
    return report


def email_to_programme_managers(report: Report) -> int:
    """Send the finished report to every active ministry user, once."""
    if report.status != Report.Status.DONE or report.emailed_at is not None:
        return 0
    managers = list(
        User.objects.filter(role=Role.MINISTRY, is_active=True).values_list("email", flat=True)
    )
    with translation.override(report.language):
        subject = _("Programme report %(start)s–%(end)s") % {
            "start": report.period_start.strftime("%d.%m.%Y"),  # type: ignore[union-attr]
            "end": report.period_end.strftime("%d.%m.%Y"),  # type: ignore[union-attr]
        }
        body = _(
            "The quarterly report of the safety development programme is attached. "
            "Earlier versions are on the portal's Reports page."
        )
    message = EmailMessage(subject, body, to=managers)
    with report.file.open("rb") as f:
        message.attach(report.filename(), f.read(), "application/pdf")
    message.send()
    Report.objects.filter(pk=report.pk).update(emailed_at=timezone.now())
    return len(managers)
