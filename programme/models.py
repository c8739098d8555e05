"""The programme's frame: Estonia's counties and municipalities and the service providers."""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

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


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def visible_to(self, user: "User") -> "MunicipalityQuerySet":
        """The municipalities whose pages and data this user may see."""
        if user.has_programme_wide_access:
            return self
        if user.municipality_id is not None:
            return self.filter(pk=user.municipality_id)
        # Providers see their assigned municipalities once assignments exist; until then none.
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
