"""A participating municipality's safety action plan for its two programme years: the safety
field, the situation, problems and root causes, activities, the indicators it monitors with their
measurements, the approved revisions and the quarterly progress updates."""

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from programme.models import Municipality, Participation, PartnerAgency

if TYPE_CHECKING:
    from accounts.models import User


class PlanQuerySet(models.QuerySet["ActionPlan"]):
    def visible_to(self, user: "User") -> "PlanQuerySet":
        """Ministry staff read every plan; a municipality its own; a provider its assigned ones."""
        if user.has_programme_wide_access:
            return self
        if user.municipality_id is not None:
            return self.filter(participation__municipality_id=user.municipality_id)
        if user.service_provider_id is not None:
            return self.filter(participation__service_provider_id=user.service_provider_id)
        return self.none()

    def awaiting_decision(self) -> "PlanQuerySet":
        """Plans submitted for approval: the ministry approves or returns them."""
        return self.filter(status=ActionPlan.Status.SUBMITTED)

    def returned(self) -> "PlanQuerySet":
        """Plans the ministry returned with comments: the municipality changes and resubmits."""
        return self.filter(status=ActionPlan.Status.RETURNED)


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for approval")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned with comments")

    participation = models.OneToOneField(
        Participation, on_delete=models.PROTECT, related_name="action_plan"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    safety_field = models.TextField(_("how the municipality defines its safety field"), blank=True)
    situation = models.TextField(
        _("situation analysis: the development plan and sectoral plans"), blank=True
    )
    data_sources = models.TextField(_("what data exists"), blank=True)
    outlook = models.TextField(_("four-year outlook (optional)"), blank=True)
    return_comment = models.TextField(_("comments of the ministry"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The calendar year whose plan the submission asks the ministry to approve; empty when it
    # changes years approved before (actionplans.services.year_to_submit).
    submitted_year = models.PositiveSmallIntegerField(_("year submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return str(self.participation.municipality)

    @property
    def municipality(self) -> Municipality:
        return self.participation.municipality


class SafetyBody(models.Model):
    """A safety committee, council or network of the municipality and what it does."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=300)
    members = models.CharField(_("members"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("committee, council or network")
        verbose_name_plural = _("committees, councils and networks")

    def __str__(self) -> str:
        return self.name


class Problem(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="problems")
    title = models.CharField(_("problem"), max_length=300)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self) -> str:
        return self.title


class RootCause(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="causes")
    title = models.CharField(_("root cause"), max_length=300)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=300)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class Component(models.TextChoices):
    """What the ministry requires a plan to contain; each met by a planned activity of its kind."""

    RINGIST_VALJA = "ringist_valja", _("“Ringist Välja” cooperation model (SKA)")
    STAD = "stad", _("Alcohol-harm reduction model STAD (TAI)")
    YOUTH_PREVENTION = "youth_prevention", _("Prevention interventions for children and youth")
    TRAINING = "training", _("Trainings for officials and network members")
    SHARING = "sharing", _("Sharing experience with the county's other municipalities")


class ActivityQuerySet(models.QuerySet["Activity"]):
    def in_year(self, participation: Participation, year: int) -> "ActivityQuerySet":
        """The activities starting in a calendar year: that year's plan holds them."""
        first, last = participation.plan_months_in(year)
        return self.filter(start_month__gte=first, start_month__lte=last)


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="activities")
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("goal"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    component = models.CharField(
        _("programme component"), max_length=30, choices=Component.choices, blank=True
    )
    causes = models.ManyToManyField(
        RootCause, blank=True, related_name="activities", verbose_name=_("root causes addressed")
    )
    start_month = models.PositiveSmallIntegerField(
        _("start month"), validators=[MinValueValidator(1)]
    )
    end_month = models.PositiveSmallIntegerField(_("end month"), validators=[MinValueValidator(1)])
    responsible = models.CharField(_("responsible person"), max_length=200)
    partners = models.ManyToManyField(
        PartnerAgency, blank=True, related_name="+", verbose_name=_("partner agencies")
    )
    planned_cost = models.DecimalField(
        _("planned cost (EUR)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["start_month", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_month__gte=models.F("start_month")),
                name="plan_activity_months_in_order",
                violation_error_message=_("The end month cannot be before the start month."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(cancel_reason=""),
                name="cancelled_activity_has_reason",
                violation_error_message=_("A cancelled activity needs the reason."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_cost__gte=0), name="plan_activity_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def available_to(self, municipality_id: int | None) -> "IndicatorQuerySet":
        """The common catalogue plus the municipality's own indicators."""
        return self.filter(
            models.Q(municipality__isnull=True) | models.Q(municipality_id=municipality_id)
        )


class Unit(models.TextChoices):
    """What an indicator counts in, named in the reader's language."""

    COUNT = "count", pgettext_lazy("unit", "count")
    PERSONS = "persons", pgettext_lazy("unit", "persons")
    HOURS = "hours", pgettext_lazy("unit", "hours")
    EUROS = "euros", pgettext_lazy("unit", "euros")
    PERCENT = "percent", pgettext_lazy("unit", "%")
    # xgettext:no-python-format
    PERCENT_OF_RESIDENTS = "percent_of_residents", pgettext_lazy("unit", "% of residents")
    # xgettext:no-python-format
    PERCENT_OF_PUPILS = "percent_of_pupils", pgettext_lazy("unit", "% of pupils")
    PER_1_000_RESIDENTS = "per_1000_residents", pgettext_lazy("unit", "per 1 000 residents")
    PER_10_000_RESIDENTS = "per_10000_residents", pgettext_lazy("unit", "per 10 000 residents")
    PER_100_000_RESIDENTS = (
        "per_100000_residents",
        pgettext_lazy("unit", "per 100 000 residents"),
    )
    PER_1_000_AGED_10_17 = "per_1000_aged_10_17", pgettext_lazy("unit", "per 1 000 aged 10–17")
    PER_1_000_AGED_15_24 = "per_1000_aged_15_24", pgettext_lazy("unit", "per 1 000 aged 15–24")
    OTHER = "other", pgettext_lazy("unit", "other (name it)")


class Indicator(models.Model):
    """A safety indicator from public statistics, or one a municipality defined for itself."""

    code = models.SlugField(_("code"), max_length=60)
    name_et = models.CharField(_("name in Estonian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=60, choices=Unit.choices)
    # A unit the list lacks, as its author wrote it; the list's units are named when read.
    other_unit = models.CharField(_("other unit"), max_length=60, blank=True)
    source_agency = models.CharField(_("source"), max_length=200, blank=True)
    frequency = models.CharField(_("frequency"), max_length=40, blank=True)
    lower_is_better = models.BooleanField(_("lower is better"), default=True)
    lowest_grain = models.CharField(_("smallest unit published"), max_length=30, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_indicators",
        help_text=_("Set for an indicator a municipality defined for itself."),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name_et"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(municipality__isnull=True),
                name="catalogue_indicator_code_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"], name="own_indicator_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.unit == Unit.OTHER and not self.other_unit.strip():
            raise ValidationError({"other_unit": _("Name the unit, or choose one from the list.")})
        if self.unit != Unit.OTHER:
            self.other_unit = ""

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name_et

    # Django's own would name the choice "other" rather than the unit written.
    def get_unit_display(self) -> str:  # type: ignore[no-redef]
        """The unit in the reader's language; one the list lacks as its author wrote it."""
        if self.unit == Unit.OTHER:
            return self.other_unit
        return str(dict(Unit.choices).get(self.unit, self.unit))


class PlanIndicator(models.Model):
    """An indicator a plan monitors: its baseline, its target, and the measurements."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    baseline_value = models.DecimalField(_("baseline"), max_digits=12, decimal_places=3)
    baseline_on = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target"), max_digits=12, decimal_places=3)
    target_on = models.DateField(_("target date"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("monitored indicator")
        verbose_name_plural = _("monitored indicators")
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator"], name="plan_indicator_once"),
            models.CheckConstraint(
                condition=models.Q(target_on__gt=models.F("baseline_on")),
                name="indicator_target_after_baseline",
                violation_error_message=_("The target date must be after the baseline date."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.indicator)


class IndicatorTarget(models.Model):
    """What a monitored indicator should reach by the end of one calendar year: that year's
    plan sets it."""

    plan_indicator = models.ForeignKey(
        PlanIndicator, on_delete=models.CASCADE, related_name="yearly_targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target at the end of the year"), max_digits=12, decimal_places=3)

    class Meta:
        ordering = ["year"]
        verbose_name = _("yearly target")
        verbose_name_plural = _("yearly targets")
        constraints = [
            models.UniqueConstraint(
                fields=["plan_indicator", "year"], name="indicator_target_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_indicator} {self.year}: {self.value}"


class Measurement(models.Model):
    plan_indicator = models.ForeignKey(
        PlanIndicator, on_delete=models.CASCADE, related_name="measurements"
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=3)
    measured_on = models.DateField(_("date"))
    source_note = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["measured_on"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["plan_indicator", "measured_on"],
                name="one_measurement_a_day",
                violation_error_message=_("This indicator already has a measurement on that date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.measured_on}: {self.value}"


class RevisionQuerySet(models.QuerySet["PlanRevision"]):
    def approved_years(self) -> set[int]:
        """The calendar years whose plans these approvals approved."""
        return set(self.filter(year__isnull=False).values_list("year", flat=True))


class PlanRevision(models.Model):
    """An approved version of a plan, kept as it was when approved. ``year`` is the calendar
    year whose plan the approval approved; empty for a change to years approved before."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField(_("year approved"), null=True, blank=True)
    content = models.JSONField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_number_unique"),
            models.UniqueConstraint(fields=["plan", "year"], name="plan_year_approved_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class ProgressUpdateQuerySet(models.QuerySet["ProgressUpdate"]):
    def visible_to(self, user: "User") -> "ProgressUpdateQuerySet":
        """The updates of the plans the person may read."""
        return self.filter(plan__in=ActionPlan.objects.visible_to(user))

    def overdue(self, on: date | None = None) -> "ProgressUpdateQuerySet":
        return self.filter(submitted_at__isnull=True, due_on__lt=on or timezone.localdate())

    def due(self, on: date, within: timedelta = timedelta(days=14)) -> "ProgressUpdateQuerySet":
        """Not sent, due on ``on`` or in the days ``within`` after it: the window in which the
        municipality is reminded (actionplans.tasks)."""
        return self.filter(submitted_at__isnull=True, due_on__gte=on, due_on__lte=on + within)

    def awaiting_review(self) -> "ProgressUpdateQuerySet":
        """Sent and not reviewed since: the ministry accepts or returns them."""
        return self.filter(submitted_at__isnull=False).filter(
            models.Q(reviewed_at__isnull=True) | models.Q(reviewed_at__lt=models.F("submitted_at"))
        )

    def returned(self) -> "ProgressUpdateQuerySet":
        """Returned with the ministry's comment and not sent again: the municipality corrects
        them."""
        return self.filter(
            review=ProgressUpdate.Review.RETURNED, reviewed_at__gte=models.F("submitted_at")
        )


class ProgressUpdate(models.Model):
    """The quarterly report of a plan: a short narrative beside the statuses and measurements.
    The municipality sends it; the ministry accepts it, or returns it with a comment, and a
    returned update is corrected and sent again. ``review`` and ``review_comment`` are the
    ministry's last word on it; a review older than the last sending waits to be renewed."""

    class Review(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned with a comment")

    class Status(models.TextChoices):
        """Where the update stands, read from its dates (ProgressUpdate.status)."""

        NOT_SENT = "not_sent", _("not sent")
        AWAITING_REVIEW = "awaiting_review", _("waiting for the ministry's review")
        RETURNED = "returned", _("returned with a comment")
        ACCEPTED = "accepted", _("accepted")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="updates")
    quarter_start_on = models.DateField(_("quarter"))
    due_on = models.DateField(_("due"))
    narrative = models.TextField(_("what happened this quarter"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    marked_overdue_at = models.DateTimeField(null=True, blank=True)
    review = models.CharField(_("review"), max_length=20, choices=Review.choices, blank=True)
    review_comment = models.TextField(_("comment of the ministry"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["quarter_start_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "quarter_start_on"], name="one_update_a_quarter"
            ),
            # A review is of a sent update, and has its moment; a returned one says why.
            models.CheckConstraint(
                condition=models.Q(review="", reviewed_at__isnull=True)
                | (
                    ~models.Q(review="")
                    & models.Q(reviewed_at__isnull=False, submitted_at__isnull=False)
                ),
                name="update_review_has_its_moment",
            ),
            models.CheckConstraint(
                condition=~models.Q(review="returned") | ~models.Q(review_comment=""),
                name="returned_update_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.plan}: {self.quarter_start_on:%Y}-Q{(self.quarter_start_on.month - 1) // 3 + 1}"
        )

    @property
    def quarter_label(self) -> str:
        return f"{self.quarter_start_on:%Y} Q{(self.quarter_start_on.month - 1) // 3 + 1}"

    @property
    def is_awaiting_review(self) -> bool:
        """Sent and not reviewed since (ProgressUpdateQuerySet.awaiting_review)."""
        return self.submitted_at is not None and (
            self.reviewed_at is None or self.reviewed_at < self.submitted_at
        )

    @property
    def is_returned(self) -> bool:
        """Returned with a comment and not sent again (ProgressUpdateQuerySet.returned)."""
        return (
            self.review == self.Review.RETURNED
            and self.reviewed_at is not None
            and self.submitted_at is not None
            and self.reviewed_at >= self.submitted_at
        )

    @property
    def status(self) -> "ProgressUpdate.Status":
        if self.submitted_at is None:
            return self.Status.NOT_SENT
        if self.is_awaiting_review:
            return self.Status.AWAITING_REVIEW
        if self.review == self.Review.RETURNED:
            return self.Status.RETURNED
        return self.Status.ACCEPTED

    def get_status_display(self) -> str:
        return str(self.status.label)
