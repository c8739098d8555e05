"""Counselling of participating municipalities by their service provider: the sessions the
provider logs, who attended, the topics, and the next steps agreed, which both sides keep up to
date. The municipality confirms each session, or disputes it with a comment."""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.models import Participation, ServiceProvider

if TYPE_CHECKING:
    from accounts.models import User

QUARTER_HOUR = Decimal("0.25")
LONGEST_SESSION_HOURS = Decimal("12")


def validate_duration(hours: Decimal) -> None:
    """A session lasts more than nothing, at most a long working day, in quarter hours."""
    if hours <= 0:
        raise ValidationError(_("The duration must be more than zero hours."))
    if hours > LONGEST_SESSION_HOURS:
        raise ValidationError(
            _("A session lasts at most %(hours)s hours; log a longer one as several sessions.")
            % {"hours": LONGEST_SESSION_HOURS}
        )
    if hours % QUARTER_HOUR:
        raise ValidationError(_("Give the duration in quarter hours: 0.25, 0.5, 0.75, 1, …"))


class Topic(models.TextChoices):
    ACTION_PLAN = "action_plan", _("action plan")
    ROOT_CAUSES = "root_causes", _("root-cause analysis")
    INDICATORS = "indicators", _("indicators")
    RINGIST_VALJA = "ringist_valja", _("Ringist Välja")
    STAD = "stad", _("STAD")
    BUDGET = "budget", _("budget and ledger")
    NETWORK = "network", _("network building")
    OTHER = "other", _("other")


class SessionQuerySet(models.QuerySet["CounsellingSession"]):
    def visible_to(self, user: "User") -> "SessionQuerySet":
        """The sessions of the participations the user may see: ministry staff all, a
        municipality its own, a provider those assigned to it now (so a new provider takes
        over the history, and the one before no longer sees it)."""
        if user.has_programme_wide_access:
            return self
        return self.filter(participation__in=Participation.objects.visible_to(user))

    def awaiting_confirmation(self) -> "SessionQuerySet":
        return self.filter(confirmation=CounsellingSession.Confirmation.AWAITING)

    def disputed(self) -> "SessionQuerySet":
        """Sessions the municipality disputed: the provider corrects them or talks it over."""
        return self.filter(confirmation=CounsellingSession.Confirmation.DISPUTED)

    def hours_by(self, *fields: str) -> models.QuerySet:
        """Hours and sessions per value of the given fields, one row each."""
        return (
            self.order_by()
            .values(*fields)
            .annotate(hours=Sum("duration_hours"), sessions=Count("pk"))
            .order_by(*fields)
        )

    def summary(self) -> dict[str, Any]:
        """Sessions, hours and how many await or dispute the municipality's word, in one query."""
        Confirmation = CounsellingSession.Confirmation
        totals = self.order_by().aggregate(
            sessions=Count("pk"),
            hours=Sum("duration_hours"),
            awaiting=Count("pk", filter=Q(confirmation=Confirmation.AWAITING)),
            disputed=Count("pk", filter=Q(confirmation=Confirmation.DISPUTED)),
        )
        totals["hours"] = Decimal(totals["hours"] or 0).quantize(Decimal("0.01"))
        return totals

    def hours_by_month(self) -> models.QuerySet:
        return self.annotate(month=TruncMonth("held_on")).hours_by("month")


class CounsellingSession(models.Model):
    class Format(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        ONLINE = "online", _("online")
        PHONE = "phone", _("phone")

    class Confirmation(models.TextChoices):
        AWAITING = "awaiting", _("awaiting the municipality's confirmation")
        CONFIRMED = "confirmed", _("confirmed by the municipality")
        DISPUTED = "disputed", _("disputed by the municipality")

    participation = models.ForeignKey(
        Participation,
        on_delete=models.PROTECT,
        related_name="counselling_sessions",
        verbose_name=_("municipality"),
    )
    service_provider = models.ForeignKey(
        ServiceProvider,
        on_delete=models.PROTECT,
        related_name="counselling_sessions",
        verbose_name=_("service provider"),
    )
    held_on = models.DateField(_("date"))
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=4, decimal_places=2, validators=[validate_duration]
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    attendee_count = models.PositiveSmallIntegerField(
        _("number of attendees"),
        null=True,
        blank=True,
        help_text=_("If you do not list the attendees by name."),
    )
    topics = models.JSONField(_("topics"), default=list)
    summary = models.TextField(_("summary"))
    confirmation = models.CharField(
        _("confirmation"),
        max_length=20,
        choices=Confirmation.choices,
        default=Confirmation.AWAITING,
    )
    dispute_comment = models.TextField(_("the municipality's comment"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    logged_at = models.DateTimeField(_("logged"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("counselling session")
        verbose_name_plural = _("counselling sessions")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["participation", "-held_on"]),
            # The programme-wide list reads its newest page off this index instead of sorting
            # every session.
            models.Index(fields=["-held_on", "-id"], name="counselling_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0), name="counselling_duration_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation.municipality} {self.held_on:%d.%m.%Y}"

    def topic_labels(self) -> list[str]:
        return [str(Topic(value).label) for value in self.topics if value in Topic.values]


class Attendee(models.Model):
    session = models.ForeignKey(
        CounsellingSession, on_delete=models.CASCADE, related_name="attendees"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self) -> str:
        return self.name


class NextStepQuerySet(models.QuerySet["NextStep"]):
    def visible_to(self, user: "User") -> "NextStepQuerySet":
        return self.filter(session__in=CounsellingSession.objects.visible_to(user))

    def unfinished(self) -> "NextStepQuerySet":
        return self.filter(status__in=[NextStep.Status.OPEN, NextStep.Status.IN_PROGRESS])

    def overdue(self, today: date) -> "NextStepQuerySet":
        return self.unfinished().filter(due_on__lt=today)


class NextStep(models.Model):
    """Something agreed at a session: who does what by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    session = models.ForeignKey(
        CounsellingSession, on_delete=models.CASCADE, related_name="next_steps"
    )
    description = models.CharField(_("next step"), max_length=500)
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = NextStepQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today: date) -> bool:
        return self.due_on < today and self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)
