"""Report workflows: request a report (a new version), hand it to the queue, render it once."""

import hashlib
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from applications.models import Application
from audit.services import record_change
from programme.models import Participation
from reports import documents
from reports.models import Report
from turvaportaal.lib.queue import try_queue

logger = logging.getLogger(__name__)

# A report still queued after this long never reached a worker: the schedule sends it again.
STALLED_AFTER = timedelta(minutes=5)


def _next_version(report: Report) -> int:
    latest = Report.objects.of_same_subject(report).order_by("-version").first()
    return latest.version + 1 if latest else 1


def request_report(
    *,
    kind: str,
    language: str,
    user: User | None,
    participation: Participation | None = None,
    application: Application | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
) -> tuple[Report, bool]:
    """Record the request and queue its rendering; returns the report and whether the queue
    took it. A request the queue could not take stays queued and is sent again later."""
    if kind == Report.Kind.PROGRAMME and user is not None and not user.has_programme_wide_access:
        raise ValidationError(_("The programme report is for ministry staff."))
    if kind in (Report.Kind.MUNICIPALITY, Report.Kind.PROGRAMME):
        if period_start is None or period_end is None or period_start > period_end:
            raise ValidationError(_("Give the period: its start on or before its end."))
        if period_start > timezone.localdate():
            raise ValidationError(_("The period starts in the future: there is nothing to report."))
    if kind == Report.Kind.APPLICATION and (
        application is None or application.submitted_at is None
    ):
        raise ValidationError(_("Only a submitted application is printed."))
    report = Report(
        kind=kind,
        language=language,
        participation=participation,
        application=application,
        period_start=period_start,
        period_end=period_end,
        requested_by=user,
    )
    with transaction.atomic():
        report.version = _next_version(report)
        report.full_clean()
        report.save()
        record_change(
            user,
            report,
            gettext_noop("report requested"),
            after={
                "kind": kind,
                "version": report.version,
                "language": language,
                "period_start": period_start,
                "period_end": period_end,
            },
        )
    return report, enqueue(report)


def enqueue(report: Report) -> bool:
    """Hand the report to the queue; with the queue down it stays queued, nothing is lost."""
    from reports.tasks import render_report

    return try_queue(render_report, report.pk)


def requeue_stalled() -> int:
    """Send again the reports whose message never reached a worker."""
    sent = 0
    for report in Report.objects.stalled(timezone.now() - STALLED_AFTER):
        sent += enqueue(report)
    return sent


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


def start_rendering(report_id: int) -> Report | None:
    """Mark the report running, unless it is already finished (a redelivered message)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.is_finished():
            return None
        report.status = Report.Status.RUNNING
        report.started_at = timezone.now()
        report.attempts += 1
        report.save(update_fields=["status", "started_at", "attempts"])
    return report


def render(report: Report) -> Report:
    """Render the report to PDF and store it under its one name, with size and checksum."""
    from reports.pdf import render_pdf  # WeasyPrint loads only where reports are rendered

    with translation.override(report.language):
        content = render_pdf(_document(report), language=report.language)
    if report.file:
        report.file.delete(save=False)  # a redelivered render replaces its own file
    report.file.save("report.pdf", ContentFile(content), save=False)
    report.size = len(content)
    report.sha256 = hashlib.sha256(content).hexdigest()
    report.status = Report.Status.DONE
    report.failure_reason = ""
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "size", "sha256", "status", "failure_reason", "finished_at"])
    return report


def fail(report_id: int, reason: str) -> None:
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.DONE).update(
        status=Report.Status.FAILED, failure_reason=reason, finished_at=timezone.now()
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
        report = Report.objects.create(
            kind=Report.Kind.PROGRAMME,
            language=settings.LANGUAGE_CODE,
            period_start=start,
            period_end=end,
            version=_next_version(
                Report(
                    kind=Report.Kind.PROGRAMME,
                    language=settings.LANGUAGE_CODE,
                    period_start=start,
                    period_end=end,
                )
            ),
        )
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
