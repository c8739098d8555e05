from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from actionplans.models import Indicator
from programme.models import Municipality, Participation

if TYPE_CHECKING:
    from accounts.models import User

# Named in the reader's language wherever an official value is shown.
SOURCE = _("Statistics Estonia")


class OfficialValueQuerySet(models.QuerySet["OfficialValue"]):
    def visible_to(self, user: "User") -> "OfficialValueQuerySet":
        """Official statistics are public, for every municipality."""
        return self.all()

    def of(self, code: str) -> "OfficialValueQuerySet":
        return self.filter(indicator__code=code, indicator__municipality=None)


class OfficialValue(models.Model):
    """A municipality's value of a catalogue indicator in a year, as Statistics Estonia
    publishes it. Kept apart from the values a municipality enters, so neither overwrites the
    other; a value Statistics Estonia revises is updated here, and the change audited."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"municipality": None},
        verbose_name=_("indicator"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="official_values",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    table = models.CharField(_("table"), max_length=20)
    imported_on = models.DateField(_("imported"))
    revised_on = models.DateField(_("revised"), null=True, blank=True)

    objects = OfficialValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("official value")
        verbose_name_plural = _("official values")
        ordering = ["indicator", "municipality", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "year"], name="official_value_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.municipality} {self.year}: {self.value}"

    @property
    def source(self) -> str:
        return str(SOURCE)


class StatisticsImportQuerySet(models.QuerySet["StatisticsImport"]):
    def visible_to(self, user: "User") -> "StatisticsImportQuerySet":
        return self.all() if user.has_programme_wide_access else self.none()

    def latest_finished(self) -> "StatisticsImport | None":
        return self.exclude(finished_at=None).order_by("-started_at").first()


class StatisticsImport(models.Model):
    """One run of the import: what it found, or why it stopped."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created = models.PositiveIntegerField(_("new values"), default=0)
    revised = models.PositiveIntegerField(_("revised values"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged values"), default=0)
    calls = models.PositiveIntegerField(_("calls to the API"), default=0)
    error = models.TextField(_("error"), blank=True)

    objects = StatisticsImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("statistics import")
        verbose_name_plural = _("statistics imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"

    @property
    def succeeded(self) -> bool:
        return self.finished_at is not None and not self.error


class QuarterlyCountsQuerySet(models.QuerySet["QuarterlyCounts"]):
    def visible_to(self, user: "User") -> "QuarterlyCountsQuerySet":
        """As the participation they belong to."""
        return self.filter(participation__in=Participation.objects.visible_to(user))

    def totals(self) -> dict[str, int]:
        """Each count summed over the rows."""
        sums = self.aggregate(**{name: models.Sum(name) for name in COUNT_FIELDS})
        return {name: sums[name] or 0 for name in COUNT_FIELDS}


class QuarterlyCounts(models.Model):
    """What a participation's Ringist Välja and STAD work did in a quarter, as counts only:
    nothing about any young person or anyone else is kept here."""

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="quarterly_counts",
        verbose_name=_("participation"),
    )
    quarter_start_on = models.DateField(_("quarter"))
    # Ringist Välja
    cases_started = models.PositiveIntegerField(_("Ringist Välja cases started"), default=0)
    cases_closed = models.PositiveIntegerField(_("Ringist Välja cases closed"), default=0)
    network_meetings = models.PositiveIntegerField(_("network meetings"), default=0)
    specialists_trained = models.PositiveIntegerField(_("specialists trained"), default=0)
    # STAD
    sellers_trained = models.PositiveIntegerField(
        _("people trained in responsible alcohol sales"), default=0
    )
    sales_checks = models.PositiveIntegerField(_("checks of alcohol sales"), default=0)
    nightlife_events = models.PositiveIntegerField(_("safer nightlife events"), default=0)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    objects = QuarterlyCountsQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ringist Välja and STAD counts")
        verbose_name_plural = _("Ringist Välja and STAD counts")
        ordering = ["participation", "quarter_start_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "quarter_start_on"], name="counts_once_a_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    quarter_start_on__day=1, quarter_start_on__month__in=[1, 4, 7, 10]
                ),
                name="counts_quarter_starts_a_quarter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation} {self.quarter_label}"

    @property
    def quarter_label(self) -> str:
        return f"{self.quarter_start_on.year} Q{(self.quarter_start_on.month - 1) // 3 + 1}"

    @property
    def figures(self) -> list[int]:
        """The counts in the order of COUNT_FIELDS."""
        return [getattr(self, name) for name in COUNT_FIELDS]


RINGIST_VALJA = ["cases_started", "cases_closed", "network_meetings", "specialists_trained"]
STAD = ["sellers_trained", "sales_checks", "nightlife_events"]
COUNT_FIELDS = RINGIST_VALJA + STAD


def count_labels() -> list[str]:
    """The counts' names in the reader's language, in the order of COUNT_FIELDS."""
    labels = []
    for name in COUNT_FIELDS:
        field = QuarterlyCounts._meta.get_field(name)
        assert isinstance(field, models.Field)
        labels.append(str(field.verbose_name))
    return labels
