"""Report requests: a report is asked for (a new version) and handed to the queue. The rendering
itself is reports.rendering's, run by the worker's task in reports.tasks."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from applications.models import Application
from audit.services import record_change
from programme.models import Participation
from reports import rules
from reports.models import Report
from reports.tasks import enqueue
from turvaportaal.lib.rules import require


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
    took it. A request the queue could not take stays queued and is sent again later.

    Without a user the request is the portal's own (a task)."""
    subject: Participation | Application | None = None  # the programme report's
    if kind == Report.Kind.MUNICIPALITY:
        subject = participation
    elif kind == Report.Kind.APPLICATION:
        subject = application
    if user is not None:
        require(rules.may_request(user, subject))
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
        report.version = Report.objects.next_version(report)
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
