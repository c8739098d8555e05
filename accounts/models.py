"""People and their roles: who signs in, which organisation they belong to, invitations."""

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.personal_codes import validate_personal_code
from turvaportaal.lib.search import trigram_index


class Role(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality user")
    MINISTRY = "ministry", _("ministry staff")
    PROVIDER = "provider", _("service provider")
    COUNTY_EVALUATOR = "county_evaluator", _("county safety council evaluator")
    ADMIN = "admin", _("administrator")


# Who may invite whom: ministry staff bring in everyone but administrators.
INVITABLE_ROLES: dict[str, list[Role]] = {
    Role.MINISTRY: [Role.MUNICIPALITY, Role.PROVIDER, Role.COUNTY_EVALUATOR, Role.MINISTRY],
    Role.ADMIN: list(Role),
}


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user: "User") -> "UserQuerySet":
        """The people this user may see: colleagues of their organisation, or all for SIM."""
        if user.has_programme_wide_access:
            return self
        if user.municipality_id is not None:
            return self.filter(municipality_id=user.municipality_id)
        if user.service_provider_id is not None:
            return self.filter(service_provider_id=user.service_provider_id)
        return self.filter(pk=user.pk)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        # E-mail addresses are compared without regard to case when signing in.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("role", Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser):
    """A person who signs in with their e-mail address and has exactly one role."""

    email = models.EmailField(
        _("e-mail"),
        unique=True,
        error_messages={"unique": _("A user with this e-mail address already exists.")},
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        "programme.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("municipality"),
    )
    service_provider = models.ForeignKey(
        "programme.ServiceProvider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("service provider"),
    )
    county = models.ForeignKey(
        "programme.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluators",
        verbose_name=_("county"),
        help_text=_("Only for county safety council evaluators."),
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # The identifier TARA gives for the person (its "sub"): a country code and the personal code,
    # e.g. EE38001085718. Set by the person's first eID sign-in, from their invitation. NULL,
    # not empty, when there is none: the unique index leaves NULLs out.
    personal_code = models.CharField(  # noqa: DJ001
        _("personal code"),
        max_length=64,
        null=True,
        blank=True,
        validators=[validate_personal_code],
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = UserManager()

    # Set on the user being signed in other than by password, for the audit record of the
    # sign-in (audit.signals): what it was and its facts (the eID means and level).
    sign_in_detail: str = ""
    sign_in_facts: dict[str, object] | None = None

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        indexes = [
            models.Index(fields=["full_name", "email"], name="user_name_email_idx"),
            trigram_index("full_name", "user_full_name_trgm"),
            trigram_index("email", "user_email_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message=_("A user with this e-mail address already exists."),
            ),
            # A partial unique index: SQLite adds it without rebuilding the table (whose
            # trigram indexes it cannot build).
            models.UniqueConstraint(
                fields=["personal_code"],
                condition=models.Q(personal_code__isnull=False),
                name="user_personal_code_unique",
                violation_error_message=_("Another person has this personal code already."),
            ),
            # A role decides the organisation: a municipality user belongs to exactly one
            # municipality, a provider user to one provider, a county evaluator to one county
            # (its safety council), ministry staff and admins to none.
            models.CheckConstraint(
                name="user_organisation_matches_role",
                condition=(
                    models.Q(
                        role=Role.MUNICIPALITY,
                        municipality__isnull=False,
                        service_provider__isnull=True,
                        county__isnull=True,
                    )
                    | models.Q(
                        role=Role.PROVIDER,
                        municipality__isnull=True,
                        service_provider__isnull=False,
                        county__isnull=True,
                    )
                    | models.Q(
                        role=Role.COUNTY_EVALUATOR,
                        municipality__isnull=True,
                        service_provider__isnull=True,
                        county__isnull=False,
                    )
                    | models.Q(
                        role__in=[Role.MINISTRY, Role.ADMIN],
                        municipality__isnull=True,
                        service_provider__isnull=True,
                        county__isnull=True,
                    )
                ),
                violation_error_message=_(
                    "A municipality user needs a municipality, a service provider user a "
                    "provider, a county evaluator a county, and ministry staff and "
                    "administrators none of these."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0]

    @property
    def has_programme_wide_access(self) -> bool:
        """Ministry staff and admins see every municipality's data."""
        return self.role in (Role.MINISTRY, Role.ADMIN)

    @property
    def is_second_factor_required(self) -> bool:
        """Who sees every municipality's data signs in with a TOTP code as well as the password,
        and their sessions are short (settings.STAFF_SESSION_IDLE and STAFF_SESSION_MAX)."""
        return self.has_programme_wide_access

    @property
    def organisation(self) -> object | None:
        return self.municipality or self.service_provider or self.county

    @property
    def invitation_or_none(self) -> "Invitation | None":
        """The person's invitation; None for one never invited (made in Django admin)."""
        # A missing reverse one-to-one raises an AttributeError (RelatedObjectDoesNotExist).
        return getattr(self, "invitation", None)

    @property
    def is_evaluator(self) -> bool:
        """Who may be assigned applications to score: ministry staff and county evaluators."""
        return self.role in (Role.MINISTRY, Role.COUNTY_EVALUATOR)

    def invitable_roles(self) -> list[Role]:
        return INVITABLE_ROLES.get(self.role, [])

    # Django admin is for administrators; the portal's roles replace per-model permissions.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.is_staff

    def has_perms(self, perm_list: object, obj: object = None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self, at: datetime | None = None) -> "InvitationQuerySet":
        """Invitations not yet used whose link has not expired."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=at or timezone.now())

    def with_token(self, token: str) -> "InvitationQuerySet":
        return self.filter(token_hash=_hash_token(token))


class Invitation(models.Model):
    """A one-time, expiring link for a new user to set a password. Only the token's hash is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the person")
        ACCEPTED = "accepted", _("accepted")
        EXPIRED = "expired", _("link expired")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="invitation", verbose_name=_("user")
    )
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # The invited person's first sign-in with eID (TARA) under this code links the account.
    personal_code = models.CharField(
        _("personal code"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_(
            "Optional: with it the person can sign in with their Estonian ID-card, Mobile-ID or "
            "Smart-ID (or an EU eID), for example 38001085718."
        ),
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return str(self.user)

    def issue_token(self) -> str:
        """Make a new secret link token; any earlier link of this invitation stops working."""
        token = secrets.token_urlsafe(32)
        self.token_hash = _hash_token(token)
        self.sent_at = timezone.now()
        self.save(update_fields=["token_hash", "sent_at"])
        return token

    def is_expired(self, at: datetime | None = None) -> bool:
        return self.expires_at <= (at or timezone.now())

    @property
    def status(self) -> Status:
        if self.accepted_at:
            return self.Status.ACCEPTED
        return self.Status.EXPIRED if self.is_expired() else self.Status.PENDING


class UserSession(models.Model):
    """Which session belongs to whom, noted when a user signs in, so that deactivating a user
    can delete their sessions without reading every session in the store."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="signed_in_sessions", verbose_name=_("user")
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"
