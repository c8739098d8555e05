"""Reports the ministry files and sends on: requested in the browser (or by the quarterly
schedule), rendered to PDF by a Celery task, stored with their checksum, and kept: a new request
makes a new version beside the old ones."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from programme.models import Participation

if TYPE_CHECKING:
    from accounts.models import User


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: "User") -> "ReportQuerySet":
        """A report shows the data of its subject: whoever may see that sees the report.
        The programme report is for ministry staff and admins only."""
        if user.has_programme_wide_access:
            return self
        return self.filter(
            Q(participation__in=Participation.objects.visible_to(user))
            | Q(application__in=Application.objects.visible_to(user))
        )

    def of_same_subject(self, report: "Report") -> "ReportQuerySet":
        return self.filter(
            kind=report.kind,
            participation=report.participation,
            application=report.application,
            period_start=report.period_start,
            period_end=report.period_end,
            language=report.language,
        )

    def next_version(self, report: "Report") -> int:
        """The version a new report of the same subject, period and language gets."""
        latest = self.of_same_subject(report).order_by("-version").first()
        return latest.version + 1 if latest else 1

    def ready_for(self, user: "User", since: datetime) -> "ReportQuerySet":
        """Reports rendered since the given moment that the person asked for, or the quarterly
        schedule made (nobody asked): ready to download."""
        return self.filter(
            Q(requested_by=user) | Q(requested_by__isnull=True),
            status=Report.Status.DONE,
            finished_at__gte=since,
        )

    def stalled(self, queued_before: datetime, heartbeat_before: datetime) -> "ReportQuerySet":
        """Reports to send to the queue again: queued before the given time and not started
        (their message never reached a worker: the queue was down), or being rendered by a
        worker that has not renewed its lease since heartbeat_before (it died)."""
        return self.filter(
            Q(status=Report.Status.QUEUED, requested_at__lt=queued_before)
            | Q(status=Report.Status.RUNNING, heartbeat_at__lt=heartbeat_before)
            | Q(status=Report.Status.RUNNING, heartbeat_at=None, started_at__lt=heartbeat_before)
        )


def report_path(instance: "Report", filename: str) -> str:
    # One name per report: a redelivered task writes the same file again, never a second one.
    return f"reports/{instance.pk}/{instance.kind}-v{instance.version}-{instance.language}.pdf"


class Report(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality progress report")
        PROGRAMME = "programme", _("programme report")
        APPLICATION = "application", _("submitted application")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being rendered")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    class Failure(models.TextChoices):
        TIMED_OUT = "timed_out", _("The report took longer than 4 minutes to render.")
        ERROR = "error", _("The report could not be rendered.")

    kind = models.CharField(_("report"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    # Why it failed as a code, worded when read; the error as the worker raised it beside.
    failure = models.CharField(
        _("why it failed"), max_length=20, choices=Failure.choices, blank=True
    )
    failure_reason = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=report_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # The lease of the render going on: the task that holds it, on which worker, and when the
    # worker last said it is alive (reports.rendering.keeping_the_lease).
    task_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "requested_at"])]
        constraints = [
            models.CheckConstraint(
                name="report_subject_matches_kind",
                condition=(
                    Q(kind="municipality", participation__isnull=False, application__isnull=True)
                    | Q(kind="programme", participation__isnull=True, application__isnull=True)
                    | Q(kind="application", participation__isnull=True, application__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def failure_text(self) -> str:
        """Why it failed, in the reader's language, with the error where there is one."""
        if not self.failure:
            return self.failure_reason
        if self.failure_reason:
            return _("%(failure)s Error: %(error)s") % {
                "failure": self.get_failure_display(),
                "error": self.failure_reason,
            }
        return str(self.get_failure_display())

    @property
    def subject(self) -> str:
        if self.participation_id:
            return str(self.participation.municipality)  # type: ignore[union-attr]
        if self.application_id:
            return str(self.application)
        return str(_("all participations"))

    def filename(self) -> str:
        subject = self.subject.lower().replace(" ", "-")
        return f"{self.kind}-{subject}-v{self.version}.pdf"

    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def is_leased(self, task_id: str, now: datetime) -> bool:
        """Being rendered by another task whose worker renewed the lease lately: alive."""
        return (
            self.status == self.Status.RUNNING
            and self.task_id != task_id
            and self.heartbeat_at is not None
            and self.heartbeat_at >= now - settings.REPORT_LEASE
        )
