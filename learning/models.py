"""Trainings and experience sharing: the training events municipalities send their people to,
who was registered and who attended, and the county and national experience-sharing events with
the municipalities that presented or attended and their materials."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programme.models import County, Municipality, ServiceProvider
from turvaportaal.lib.paging import count_of
from turvaportaal.lib.uploads import generated_path

if TYPE_CHECKING:
    from accounts.models import User


class TrainingType(models.TextChoices):
    PREVENTION = "prevention", _("prevention training")
    CASE_MANAGEMENT = "case_management", _("children's case-management model")
    STAD = "stad", _("STAD")
    OTHER = "other", _("other training")


class Organiser(models.TextChoices):
    PPA = "ppa", _("Police and Border Guard Board (PPA)")
    RESCUE_BOARD = "rescue_board", _("Rescue Board (Päästeamet)")
    TAI = "tai", _("National Institute for Health Development (TAI)")
    SKA = "ska", _("Social Insurance Board (SKA)")
    SERVICE_PROVIDER = "service_provider", _("the service provider")
    OTHER = "other", _("other organiser")


class TrainingQuerySet(models.QuerySet["Training"]):
    def visible_to(self, user: "User") -> "TrainingQuerySet":
        """Training events are programme information: a signed-in user sees all of them (the
        names of the people registered are not; see TrainingParticipant.visible_to)."""
        return self if user.is_authenticated else self.none()

    def upcoming(self, today: date) -> "TrainingQuerySet":
        """Trainings on or after the given day, the soonest first."""
        return self.filter(starts_on__gte=today).order_by("starts_on", "pk")

    def past(self, today: date) -> "TrainingQuerySet":
        """Trainings before the given day, the latest first."""
        return self.filter(starts_on__lt=today).order_by("-starts_on", "-pk")

    def with_registered_count(self) -> "TrainingQuerySet":
        """Each training with registered_count, the number of people registered for it."""
        return self.annotate(
            registered_count=count_of(TrainingParticipant.objects.all(), "training")
        )


class Training(models.Model):
    """A training event (by PPA, Päästeamet, TAI, SKA, the service provider or another)."""

    title = models.CharField(_("title"), max_length=200)
    training_type = models.CharField(_("type"), max_length=20, choices=TrainingType.choices)
    organiser = models.CharField(_("organiser"), max_length=20, choices=Organiser.choices)
    service_provider = models.ForeignKey(
        ServiceProvider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("organising service provider"),
        help_text=_("When the organiser is the service provider."),
    )
    organiser_name = models.CharField(
        _("organiser's name"),
        max_length=200,
        blank=True,
        help_text=_("When the organiser is another organisation."),
    )
    starts_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1)], help_text=_("How many people may attend.")
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_capacity_min_1"),
            models.CheckConstraint(
                condition=Q(organiser="service_provider", service_provider__isnull=False)
                | (~Q(organiser="service_provider") & Q(service_provider__isnull=True)),
                name="training_provider_only_when_organiser",
            ),
            models.CheckConstraint(
                condition=~Q(organiser="other") | ~Q(organiser_name=""),
                name="training_other_organiser_named",
            ),
            models.CheckConstraint(
                condition=Q(is_online=True) | ~Q(place=""), name="training_place_or_online"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%d.%m.%Y})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.organiser == Organiser.SERVICE_PROVIDER and self.service_provider_id is None:
            errors["service_provider"] = gettext("Choose the service provider that organises it.")
        if self.organiser == Organiser.OTHER and not self.organiser_name.strip():
            errors["organiser_name"] = gettext("Give the name of the organiser.")
        if not self.is_online and not self.place.strip():
            errors["place"] = gettext("Give the place, or mark the training as online.")
        if errors:
            raise ValidationError(errors)

    @property
    def organiser_display(self) -> str:
        """Who organises it, by name where the choice alone does not say."""
        if self.organiser == Organiser.SERVICE_PROVIDER and self.service_provider is not None:
            return self.service_provider.name
        if self.organiser == Organiser.OTHER:
            return self.organiser_name
        return str(self.get_organiser_display())

    @property
    def places_left(self) -> int:
        """Free places; uses the registered_count annotation when the row has it."""
        registered = getattr(self, "registered_count", None)
        if registered is None:
            registered = self.participants.count()
        return max(self.capacity - registered, 0)

    def is_open_for_registration(self, today: date) -> bool:
        """Municipalities register and withdraw people until the day before the training."""
        return today < self.starts_on

    def is_open_for_attendance(self, today: date) -> bool:
        """Attendance is recorded from the training's date on."""
        return today >= self.starts_on


@dataclass(frozen=True)
class TrainingSummaryRow:
    """For one municipality and one training type: people who attended and trainings attended."""

    training_type: str
    label: str
    people: int
    trainings: int


class ParticipantQuerySet(models.QuerySet["TrainingParticipant"]):
    def visible_to(self, user: "User") -> "ParticipantQuerySet":
        """Names are personal data: ministry staff see all; a municipality its own people; a
        provider those of the municipalities assigned to it and everyone registered for the
        trainings it organises; everyone else none."""
        if user.has_programme_wide_access:
            return self
        if user.municipality_id is not None:
            return self.filter(municipality_id=user.municipality_id)
        if user.service_provider_id is not None:
            return self.filter(
                Q(municipality__participation__service_provider_id=user.service_provider_id)
                | Q(
                    training__organiser=Organiser.SERVICE_PROVIDER,
                    training__service_provider_id=user.service_provider_id,
                )
            )
        return self.none()

    def attended(self) -> "ParticipantQuerySet":
        """The people recorded as having attended."""
        return self.filter(attended=True)

    def totals(self) -> dict[str, int]:
        """The people (counted once by name) and the trainings among these rows."""
        return self.order_by().aggregate(
            people=Count(Lower("name"), distinct=True), trainings=Count("training", distinct=True)
        )

    def summary_by_type(self) -> list[TrainingSummaryRow]:
        """Per training type, the people (counted once by name) and the trainings among these
        rows, in one query; every type has a row, zero where none."""
        rows = {
            row["training__training_type"]: row
            for row in self.order_by()
            .values("training__training_type")
            .annotate(
                people=Count(Lower("name"), distinct=True),
                trainings=Count("training", distinct=True),
            )
        }
        return [
            TrainingSummaryRow(
                training_type=kind.value,
                label=str(kind.label),
                people=rows.get(kind.value, {}).get("people", 0),
                trainings=rows.get(kind.value, {}).get("trainings", 0),
            )
            for kind in TrainingType
        ]


class TrainingParticipant(models.Model):
    """A person a municipality registered for a training, and whether they attended."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("official")
        NETWORK_MEMBER = "network_member", _("network member")

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="participants", verbose_name=_("training")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="training_participants",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("official or network member"), max_length=20, choices=Kind.choices)
    role = models.CharField(
        _("role"), max_length=150, help_text=_("For example, child protection specialist.")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("training participant")
        verbose_name_plural = _("training participants")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "training",
                "municipality",
                Lower("name"),
                name="training_participant_once",
                violation_error_message=_("This person is already registered for this training."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"


class SharingEventQuerySet(models.QuerySet["SharingEvent"]):
    def visible_to(self, user: "User") -> "SharingEventQuerySet":
        """Ministry staff see all; a municipality the events it presented at, attended or
        recorded; a provider those of the municipalities assigned to it; everyone else none."""
        if user.has_programme_wide_access:
            return self
        if user.municipality_id is not None:
            return self._involving_any(
                Municipality.objects.filter(pk=user.municipality_id).values("pk")
            )
        if user.service_provider_id is not None:
            return self._involving_any(
                Municipality.objects.filter(
                    participation__service_provider_id=user.service_provider_id
                ).values("pk")
            )
        return self.none()

    def held(self, today: date) -> "SharingEventQuerySet":
        """The events held on or before the given day."""
        return self.filter(held_on__lte=today)

    def involving(self, municipality: Municipality) -> "SharingEventQuerySet":
        """The events the municipality presented at or attended, each once."""
        ids = [municipality.pk]
        return self.filter(Q(pk__in=_presented_at(ids)) | Q(pk__in=_attended(ids)))

    def _involving_any(
        self, municipalities: models.QuerySet[Municipality, Any]
    ) -> "SharingEventQuerySet":
        # Subqueries rather than joins: a join over both lists would repeat events.
        return self.filter(
            Q(pk__in=_presented_at(municipalities))
            | Q(pk__in=_attended(municipalities))
            | Q(recording_municipality__in=municipalities)
        )


def _presented_at(municipalities: Any) -> models.QuerySet:
    return SharingEvent.presenters.through.objects.filter(municipality__in=municipalities).values(
        "sharingevent_id"
    )


def _attended(municipalities: Any) -> models.QuerySet:
    return SharingEvent.attendees.through.objects.filter(municipality__in=municipalities).values(
        "sharingevent_id"
    )


class SharingEvent(models.Model):
    """A meeting or seminar where municipalities share their experience, in a county or
    nationally. A municipality that presented also attended: it is kept among the presenters."""

    class Level(models.TextChoices):
        COUNTY = "county", _("county")
        NATIONAL = "national", _("national")

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sharing_events",
        verbose_name=_("county"),
        help_text=_("Only for a county event."),
    )
    host = models.CharField(
        _("host"), max_length=200, help_text=_("For example, Rapla vald or Siseministeerium.")
    )
    presenters = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="sharing_events_presented",
        verbose_name=_("municipalities that presented"),
    )
    attendees = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="sharing_events_attended",
        verbose_name=_("municipalities that attended"),
    )
    notes = models.TextField(_("notes"), blank=True)
    recording_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sharing_events_recorded",
        verbose_name=_("recorded by municipality"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = SharingEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("experience-sharing event")
        verbose_name_plural = _("experience-sharing events")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="county", county__isnull=False)
                | Q(level="national", county__isnull=True),
                name="sharing_event_county_matches_level",
                violation_error_message=_(
                    "A county event needs its county; a national event has none."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d.%m.%Y})"

    def clean(self) -> None:
        if self.level == self.Level.COUNTY and self.county_id is None:
            raise ValidationError({"county": gettext("Choose the county of a county event.")})
        if self.level == self.Level.NATIONAL and self.county_id is not None:
            raise ValidationError(
                {"county": gettext("A national event has no county: leave the county empty.")}
            )


def material_path(instance: "SharingMaterial", filename: str) -> str:
    return generated_path(f"sharing/{instance.event_id}", filename)


class MaterialQuerySet(models.QuerySet["SharingMaterial"]):
    def visible_to(self, user: "User") -> "MaterialQuerySet":
        """The materials of the events the user may see."""
        return self.filter(event__in=SharingEvent.objects.visible_to(user).values("pk"))


class SharingMaterial(models.Model):
    """A file shown or handed out at a sharing event: a PDF, or a PNG or JPEG image."""

    event = models.ForeignKey(
        SharingEvent, on_delete=models.CASCADE, related_name="materials", verbose_name=_("event")
    )
    file = models.FileField(upload_to=material_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
