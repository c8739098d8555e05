"""The programme's frame: Estonia's counties and municipalities, the service providers, the
partner agencies, and the calls (competitions) through which municipalities join."""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from turvaportaal.lib.search import trigram_index

if TYPE_CHECKING:
    from accounts.models import User


class County(models.Model):
    ehak_code = models.CharField(_("EHAK code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    participant_limit = models.PositiveSmallIntegerField(
        _("participant limit"),
        default=1,
        help_text=_("How many of the county's municipalities may take part over all calls."),
    )

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant_limit__gte=1), name="county_participant_limit_min_1"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def participant_names(self) -> list[str]:
        """The county's municipalities in the programme: each holds one of its places for good,
        over all calls."""
        return list(
            Participation.objects.filter(municipality__county=self)
            .order_by("municipality__name")
            .values_list("municipality__name", flat=True)
        )


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def visible_to(self, user: "User") -> "MunicipalityQuerySet":
        """The municipalities whose pages and data this user may see."""
        if user.has_programme_wide_access:
            return self
        if user.municipality_id is not None:
            return self.filter(pk=user.municipality_id)
        if user.service_provider_id is not None:
            return self.filter(participation__service_provider_id=user.service_provider_id)
        return self.none()


class Municipality(models.Model):
    class Kind(models.TextChoices):
        CITY = "linn", _("city")
        RURAL = "vald", _("rural municipality")

    ehak_code = models.CharField(_("EHAK code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="municipality_name_idx"),
            trigram_index("name", "municipality_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceProviderQuerySet(models.QuerySet["ServiceProvider"]):
    def visible_to(self, user: "User") -> "ServiceProviderQuerySet":
        """The provider organisations whose details this user may see."""
        if user.has_programme_wide_access:
            return self
        if user.service_provider_id is not None:
            return self.filter(pk=user.service_provider_id)
        return self.none()


class ServiceProvider(models.Model):
    """An organisation procured by the ministry to counsel participating municipalities."""

    name = models.CharField(_("name"), max_length=200)
    registry_code = models.CharField(_("registry code"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = ServiceProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="service_provider_name_unique_ci")
        ]

    def __str__(self) -> str:
        return self.name


# The share of a budget line's yearly amount that may move to another line of the same year
# without an amendment (ESF+ partners commonly get 10 %); each agreement says its own.
DEFAULT_FLEXIBLE_SHARE = Decimal("10.00")


class BudgetCategory(models.TextChoices):
    """Cost categories an ESF+ reviewer expects, shared by applications' and grants' budgets."""

    STAFF = "staff", _("Staff costs")
    TRAINING = "training", _("Trainings and events")
    SERVICES = "services", _("Experts and services")
    COMMUNICATION = "communication", _("Communication and visibility")
    MATERIALS = "materials", _("Materials and equipment")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other costs")


class PartnerAgency(models.Model):
    """An agency or kind of organisation a municipality works with (PPA, Päästeamet, schools …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_et = models.CharField(_("name in Estonian"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_et


class CallQuerySet(models.QuerySet["Call"]):
    def open(self, at: datetime | None = None) -> "CallQuerySet":
        """Calls accepting applications at the given moment (now by default)."""
        at = at or timezone.now()
        return self.filter(opens_at__lte=at, deadline_at__gt=at)

    def current(self, at: datetime | None = None) -> "Call | None":
        """The call open now or, between calls, the one opened last: its applications are still
        evaluated and selected after the deadline."""
        return self.filter(opens_at__lte=at or timezone.now()).order_by("-opens_at", "-pk").first()


class Call(models.Model):
    """A public competition for municipalities to join the programme."""

    class Stage(models.IntegerChoices):
        FIRST = 1, _("Stage I")
        SECOND = 2, _("Stage II")

    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    deadline_at = models.DateTimeField(
        _("deadline"), help_text=_("Applications are accepted until this moment, Estonian time.")
    )
    grant_amount = models.DecimalField(
        _("grant per municipality (EUR)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("35000.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    programme_months = models.PositiveSmallIntegerField(
        _("programme length (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    minimum_result = models.DecimalField(
        _("minimum result"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("No application with a lower result is selected."),
    )
    consensus_margin = models.DecimalField(
        _("consensus margin"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("2.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "When evaluators' scores of one criterion differ by more than this, the application "
            "is discussed to consensus."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-deadline_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline_at__gt=models.F("opens_at")),
                name="call_deadline_after_opening",
                violation_error_message=_("The deadline must be after the opening time."),
            ),
            models.CheckConstraint(
                condition=models.Q(grant_amount__gt=0), name="call_grant_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, at: datetime | None = None) -> bool:
        """Whether applications are accepted: from the opening until, not at, the deadline."""
        at = at or timezone.now()
        return self.opens_at <= at < self.deadline_at

    def has_handed_in_applications(self) -> bool:
        """Whether an applicant has submitted to the call (a draft is "draft", the one status
        not handed in; the applications app builds on this one)."""
        return self.applications.exclude(status="draft").exists()  # type: ignore[attr-defined]

    def applicants_to_tell(self) -> "models.QuerySet[Any, tuple[int, str, str]]":
        """Who is told of a change to the call: every application, drafts too, as its id, its
        contact person's e-mail and its municipality's name."""
        return self.applications.order_by(  # type: ignore[attr-defined,no-any-return]
            "municipality__name"
        ).values_list("pk", "contact_email", "municipality__name")

    def is_past_deadline(self, at: datetime | None = None) -> bool:
        return (at or timezone.now()) >= self.deadline_at

    @property
    def start_year_choices(self) -> list[int]:
        return [start_year.year for start_year in self.start_years.all()]

    @property
    def total_places(self) -> int:
        return sum(start_year.places for start_year in self.start_years.all())


class CallStartYear(models.Model):
    """A year in which municipalities selected in a call start, and how many may start then."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="start_years")
    year = models.PositiveSmallIntegerField(
        _("start year"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("start year")
        verbose_name_plural = _("start years")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "year"],
                name="call_start_year_unique",
                violation_error_message=_("Each start year may appear once in a call."),
            ),
            models.CheckConstraint(condition=models.Q(places__gte=1), name="call_places_min_1"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.places}"


class InfoSession(models.Model):
    """An online information session held for applicants before a call's deadline."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="info_sessions")
    starts_at = models.DateTimeField(_("time"))
    link = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("information session")
        verbose_name_plural = _("information sessions")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return timezone.localtime(self.starts_at).strftime("%d.%m.%Y %H:%M")


class Cohort(models.Model):
    """The municipalities of one stage that start the programme in the same year."""

    stage = models.PositiveSmallIntegerField(_("stage"), choices=Call.Stage.choices)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="cohorts"
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["start_year", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "start_year"], name="cohort_stage_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}, {self.start_year}"


class ParticipationQuerySet(models.QuerySet["Participation"]):
    def visible_to(self, user: "User") -> "ParticipationQuerySet":
        """Ministry staff see all; a municipality its own; a provider those assigned to it."""
        if user.has_programme_wide_access:
            return self
        if user.municipality_id is not None:
            return self.filter(municipality_id=user.municipality_id)
        if user.service_provider_id is not None:
            return self.filter(service_provider_id=user.service_provider_id)
        return self.none()

    def active_between(self, start: date, end: date) -> "ParticipationQuerySet":
        """Participations in the programme on at least one day from start to end, both included."""
        return self.filter(start_on__lte=end, end_on__gte=start)

    def with_stage(self, on: date | None = None) -> "ParticipationQuerySet":
        """Each participation's ``stage`` on a day (today by default), in this order: closed
        once closed; the final report once it is handed in (submitted, returned or approved)
        or the end date has passed; the agreement before the start date or while no version
        of the action plan is approved; then year 1 and year 2 counted from the start date.
        The plan and the report are named by their relations: their apps build on this one."""
        on = on or timezone.localdate()
        revisions = apps.get_model("actionplans", "PlanRevision").objects.filter(
            plan__participation=models.OuterRef("pk")
        )
        reports = apps.get_model("closing", "FinalReport").objects.filter(
            participation=models.OuterRef("pk"), status__in=["submitted", "returned", "approved"]
        )
        return self.annotate(
            stage=models.Case(
                models.When(closed_at__isnull=False, then=models.Value(Stage.CLOSED)),
                models.When(
                    models.Q(end_on__lt=on) | models.Exists(reports),
                    then=models.Value(Stage.FINAL_REPORT),
                ),
                models.When(
                    models.Q(start_on__gt=on) | ~models.Exists(revisions),
                    then=models.Value(Stage.AGREEMENT),
                ),
                # A year from the start: the day before its anniversary is year 1's last.
                models.When(start_on__gt=_year_before(on), then=models.Value(Stage.YEAR_1)),
                default=models.Value(Stage.YEAR_2),
                output_field=models.CharField(),
            )
        )


def _year_before(on: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return on.replace(year=on.year - 1)
    except ValueError:
        return on.replace(year=on.year - 1, day=28)


class Stage(models.TextChoices):
    """Where a participation stands (ParticipationQuerySet.with_stage)."""

    AGREEMENT = "agreement", _("agreement")
    YEAR_1 = "year_1", _("year 1")
    YEAR_2 = "year_2", _("year 2")
    FINAL_REPORT = "final_report", _("final report")
    CLOSED = "closed", _("closed")


class Participation(models.Model):
    """A municipality in the programme: from a confirmed selection or taken in from before."""

    class Source(models.TextChoices):
        SELECTION = "selection", _("selected in the portal")
        IMPORT = "import", _("taken in from before the portal")

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.PROTECT,
        related_name="participation",
        verbose_name=_("municipality"),
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="participations", verbose_name=_("cohort")
    )
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"))
    grant_amount = models.DecimalField(
        _("grant (EUR)"), max_digits=10, decimal_places=2, default=Decimal("35000.00")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    service_provider = models.ForeignKey(
        ServiceProvider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("service provider"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Set by the ministry's closing (closing.services.close_participation): from then on every
    # page of the participation is read-only (programme.rules.unless_closed).
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["cohort__start_year", "municipality__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gt=models.F("start_on")),
                name="participation_ends_after_start",
                violation_error_message=_("The end date must be after the start date."),
            ),
            models.CheckConstraint(
                condition=models.Q(grant_amount__gt=0), name="participation_grant_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.cohort})"

    @property
    def calendar_years(self) -> list[int]:
        """The calendar years the participation touches: its plans and budgets are by year."""
        return list(range(self.start_on.year, self.end_on.year + 1))

    def plan_months_in(self, year: int) -> tuple[int, int]:
        """The action plan's months (month 1 is the start date's) that fall in ``year``: the
        first and the last; an empty range when none does."""
        start = self.start_on.year * 12 + self.start_on.month - 1
        months = self.end_on.year * 12 + self.end_on.month - 1 - start + 1
        return max(year * 12 - start + 1, 1), min(year * 12 + 11 - start + 1, months)

    def days_in(self, year: int) -> int:
        """How many of the participation's days fall in ``year``."""
        first = max(self.start_on, date(year, 1, 1))
        last = min(self.end_on, date(year, 12, 31))
        return max((last - first).days + 1, 0)

    @property
    def flexible_share(self) -> Decimal:
        """The agreement's share of a line that may move within a year without a decision;
        the programme's default before the agreement is made (named by its relation: the
        agreements app builds on this one)."""
        agreement = getattr(self, "agreement", None)
        return agreement.flexible_share if agreement is not None else DEFAULT_FLEXIBLE_SHARE

    @property
    def is_closed(self) -> bool:
        """Closed by the ministry after the final report and the last payment: read-only."""
        return self.closed_at is not None

    @cached_property
    def stage(self) -> str:
        """ParticipationQuerySet.with_stage's answer; a row fetched with it has it already."""
        return str(Participation.objects.with_stage().get(pk=self.pk).stage)  # type: ignore[attr-defined]

    def get_stage_display(self) -> str:
        return str(Stage(self.stage).label)
