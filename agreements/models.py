"""Each participation's partnership agreement (partnerlusleping) with the ministry, its
amendments, and the digitally signed containers (ASiC-E, BDOC) in which both were signed."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.models import DEFAULT_FLEXIBLE_SHARE, Participation
from turvaportaal.lib.signatures import Signer, signers_of
from turvaportaal.lib.uploads import generated_path

if TYPE_CHECKING:
    from accounts.models import User

MINISTRY = "Siseministeerium"


def container_path(instance: models.Model, filename: str) -> str:
    return generated_path("agreements", filename)


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def visible_to(self, user: "User") -> "AgreementQuerySet":
        """Whoever sees the participation: its municipality, its provider, ministry staff."""
        return self.filter(participation__in=Participation.objects.visible_to(user))


class SignedDocument(models.Model):
    """A stored signed container (.asice or .bdoc) and the signers its check found."""

    container = models.FileField(
        _("signed container"), upload_to=container_path, max_length=200, blank=True
    )
    container_name = models.CharField(_("file name"), max_length=255, blank=True)
    container_size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    container_sha256 = models.CharField(max_length=64, blank=True)
    signers = models.JSONField(_("signers"), default=list, blank=True)
    container_uploaded_at = models.DateTimeField(
        _("signed container uploaded"), null=True, blank=True
    )
    container_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        abstract = True

    @property
    def is_signed(self) -> bool:
        return bool(self.container)

    @property
    def signer_list(self) -> list[Signer]:
        return signers_of(self.signers)


class Agreement(SignedDocument):
    """The partnership agreement between the ministry and one participating municipality."""

    participation = models.OneToOneField(
        Participation,
        on_delete=models.PROTECT,
        related_name="agreement",
        verbose_name=_("participation"),
    )
    number = models.CharField(_("agreement number"), max_length=50, unique=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    start_on = models.DateField(_("in force from"))
    end_on = models.DateField(_("in force until"))
    ministry_name = models.CharField(_("ministry"), max_length=200, default=MINISTRY)
    ministry_signatory = models.CharField(
        _("signs for the ministry"),
        max_length=200,
        help_text=_("Name and position, e.g. Mari Mets, Secretary General."),
    )
    municipality_signatory = models.CharField(
        _("signs for the municipality"),
        max_length=200,
        help_text=_("Name and position, e.g. Jaan Tamm, mayor."),
    )
    grant_amount = models.DecimalField(
        _("grant (EUR)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    flexible_share = models.DecimalField(
        _("share of a budget line that may move without an amendment (%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_FLEXIBLE_SHARE,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gt=models.F("start_on")),
                name="agreement_ends_after_start",
                violation_error_message=_("The end date must be after the start date."),
            ),
            models.CheckConstraint(
                condition=models.Q(flexible_share__gte=0, flexible_share__lte=100),
                name="agreement_flexible_share_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(grant_amount__gt=0), name="agreement_grant_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.participation.municipality})"


class AmendmentQuerySet(models.QuerySet["Amendment"]):
    def visible_to(self, user: "User") -> "AmendmentQuerySet":
        """Whoever sees the agreement."""
        return self.filter(agreement__in=Agreement.objects.visible_to(user))


class Amendment(SignedDocument):
    """A signed change to an agreement: numbered 1, 2, … within it."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("agreement")
    )
    number = models.PositiveIntegerField(_("amendment number"))
    dated_on = models.DateField(_("date"))
    changes = models.TextField(_("what changes"), max_length=5000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="amendment_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number} / {self.number}"
