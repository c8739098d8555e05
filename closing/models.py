"""The end of a participation: the municipality's final report (results against the plan, the
indicators at the end, the money per budget line, what it keeps doing and the lessons for
others), the ministry's approval of it, and with it the last payment and the closing."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import Activity, Measurement, PlanIndicator
from actionplans.progress import Point, Progress, progress
from grants.models import BudgetLine, LedgerEntry
from programme.models import Participation

if TYPE_CHECKING:
    from accounts.models import User


class FinalReportQuerySet(models.QuerySet["FinalReport"]):
    def visible_to(self, user: "User") -> "FinalReportQuerySet":
        """The reports of the participations the person may see."""
        return self.filter(participation__in=Participation.objects.visible_to(user))

    def awaiting_decision(self) -> "FinalReportQuerySet":
        """Submitted reports: the ministry approves or returns them."""
        return self.filter(status=FinalReport.Status.SUBMITTED)


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator at the end: its baseline, target, the last measurement and the progress."""

    plan_indicator: PlanIndicator
    latest: Point | None
    progress: Progress


@dataclass(frozen=True)
class LineMoney:
    """A budget line's budget and what counts as spent of it."""

    line: BudgetLine
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.line.amount - self.spent


class FinalReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for approval")
        RETURNED = "returned", _("returned with a comment")
        APPROVED = "approved", _("approved")

    participation = models.OneToOneField(
        Participation,
        on_delete=models.PROTECT,
        related_name="final_report",
        verbose_name=_("participation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    continuation = models.TextField(_("what the municipality will keep doing"), blank=True)
    lessons = models.TextField(_("lessons for other municipalities"), blank=True)
    return_comment = models.TextField(_("comment of the ministry"), blank=True)
    # The good-practice draft started from the lessons (practices.services.save_practice).
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("good practice"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FinalReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("final report")
        verbose_name_plural = _("final reports")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(return_comment=""),
                name="returned_final_report_has_comment",
            )
        ]

    def __str__(self) -> str:
        return str(self.participation.municipality)

    @property
    def is_being_written(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def missing_answers(self) -> list[str]:
        """What must be answered before the report is submitted."""
        missing = []
        if not self.continuation.strip():
            missing.append(str(_("Say what the municipality will keep doing.")))
        if not self.lessons.strip():
            missing.append(str(_("Write the lessons for other municipalities.")))
        for result in self.results.select_related("activity"):
            if not result.is_done and not result.comment.strip():
                missing.append(
                    str(_("Say why “%(activity)s” was not done.") % {"activity": result.activity})
                )
        return missing

    def indicator_results(self, on: date | None = None) -> list[IndicatorResult]:
        """Each indicator the plan monitors, at the end: actionplans.progress on its
        measurements up to ``on`` (all of them by default)."""
        indicators = PlanIndicator.objects.filter(
            plan__participation_id=self.participation_id
        ).select_related("indicator")
        measurements: dict[int, list[Point]] = {}
        found = Measurement.objects.filter(plan_indicator__in=indicators)
        if on is not None:
            found = found.filter(measured_on__lte=on)
        for plan_indicator_id, value, measured_on in found.values_list(
            "plan_indicator_id", "value", "measured_on"
        ):
            measurements.setdefault(plan_indicator_id, []).append(Point(measured_on, value))
        results = []
        for plan_indicator in indicators:
            points = sorted(measurements.get(plan_indicator.pk, []), key=lambda p: p.on)
            results.append(
                IndicatorResult(
                    plan_indicator=plan_indicator,
                    latest=points[-1] if points else None,
                    progress=progress(
                        plan_indicator.baseline_value,
                        plan_indicator.target_value,
                        points,
                        plan_indicator.indicator.lower_is_better,
                    ),
                )
            )
        return results

    def money_by_line(self) -> list[LineMoney]:
        """Each budget line's budget and what counts as spent of it (EntryQuerySet.spent_by)."""
        spent = LedgerEntry.objects.filter(participation_id=self.participation_id).spent_by(
            "budget_line"
        )
        return [
            LineMoney(line=line, spent=spent.get(line.pk, Decimal("0.00")))
            for line in BudgetLine.objects.filter(participation_id=self.participation_id)
        ]


class ActivityResult(models.Model):
    """One planned activity in the final report: done or not, with the municipality's comment."""

    report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="results")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="+", verbose_name=_("activity")
    )
    is_done = models.BooleanField(_("done"), default=False)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["activity__start_month", "activity__pk"]
        verbose_name = _("result of an activity")
        verbose_name_plural = _("results of the activities")
        constraints = [
            models.UniqueConstraint(fields=["report", "activity"], name="one_result_an_activity")
        ]

    def __str__(self) -> str:
        return str(self.activity)
