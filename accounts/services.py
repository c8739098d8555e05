"""Workflows that bring people into the portal."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import rules
from accounts.models import Invitation, Role, User
from accounts.sessions import end_sessions
from accounts.tara import Person
from accounts.tasks import send_invitation
from audit.services import record_change
from programme.models import County, Municipality, ServiceProvider
from turvaportaal.lib.queue import send_on_commit
from turvaportaal.lib.rules import require


@transaction.atomic
def invite_user(
    *,
    invited_by: User,
    email: str,
    full_name: str,
    role: Role | str,
    position: str = "",
    municipality: Municipality | None = None,
    service_provider: ServiceProvider | None = None,
    county: County | None = None,
    language: str = settings.LANGUAGE_CODE,
    personal_code: str = "",
) -> Invitation:
    """Create a user without a password and e-mail them a one-time link to set one."""
    require(rules.may_invite(invited_by, role))
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name,
        position=position,
        role=role,
        municipality=municipality if role == Role.MUNICIPALITY else None,
        service_provider=service_provider if role == Role.PROVIDER else None,
        county=county if role == Role.COUNTY_EVALUATOR else None,
        language=language,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    invitation = Invitation.objects.create(
        user=user,
        invited_by=invited_by,
        expires_at=timezone.now() + settings.INVITATION_VALID_FOR,
        personal_code=personal_code,
    )
    record_change(
        invited_by,
        user,
        gettext_noop("person invited"),
        after={
            "email": user.email,
            "role": user.role,
            "organisation": str(user.municipality or user.service_provider or user.county or ""),
        },
    )
    _send_on_commit(invitation)
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, user: User) -> None:
    """Send a fresh link with a new expiry; the earlier link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    require(rules.may_resend(user, invitation))
    invitation.expires_at = timezone.now() + settings.INVITATION_VALID_FOR
    invitation.save(update_fields=["expires_at"])
    _send_on_commit(invitation)


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str) -> User:
    """Set the new user's password and use up the invitation."""
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if invitation.accepted_at or invitation.is_expired():
        raise ValidationError(_("This invitation link is no longer valid."))
    invitation.accepted_at = timezone.now()
    invitation.token_hash = ""
    invitation.save(update_fields=["accepted_at", "token_hash"])
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def eid_sign_in_person(*, person: Person) -> User:
    """The account an eID sign-in opens, or a ValidationError saying why none.

    The account is the one linked to the personal code; else, on the person's first eID sign-in,
    the one whose invitation carries the code (if the invitation was not used by another
    sign-in and its link has not expired, unless it was accepted with a password already). The
    portal never makes an account from TARA alone. The names TARA gives replace the account's."""
    user = User.objects.select_for_update().filter(personal_code=person.personal_code).first()
    if user is None:
        user = _link_invited_person(person)
    verdict = rules.may_sign_in_with_eid(user, person.level)
    if not verdict:
        raise ValidationError(str(verdict), code="refused")
    if person.full_name and person.full_name != user.full_name:
        before = {"full_name": user.full_name}
        user.full_name = person.full_name[: User._meta.get_field("full_name").max_length]
        user.save(update_fields=["full_name"])
        record_change(
            user,
            user,
            gettext_noop("name updated from eID"),
            before=before,
            after={"full_name": user.full_name},
        )
    return user


def _link_invited_person(person: Person) -> User:
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(personal_code=person.personal_code, user__personal_code__isnull=True)
        .exclude(accepted_at__isnull=True, expires_at__lte=now)
        .order_by("-created_at")
        .first()
    )
    if invitation is None:
        raise ValidationError(
            _(
                "There is no Turvaportaal account for your personal code. Accounts are made by "
                "invitation of the Ministry of the Interior: ask the ministry or your "
                "organisation's contact person to invite you."
            ),
            code="no_account",
        )
    user = invitation.user
    user.personal_code = person.personal_code
    user.save(update_fields=["personal_code"])
    if invitation.accepted_at is None:
        invitation.accepted_at = now
        invitation.token_hash = ""
        invitation.save(update_fields=["accepted_at", "token_hash"])
    record_change(
        user,
        user,
        gettext_noop("eID linked to the account"),
        before={"personal_code": None},
        after={"personal_code": person.personal_code},
    )
    return user


@transaction.atomic
def deactivate_user(*, user: User, by: User | None = None) -> None:
    """Take a person's access away: they cannot sign in again and every session they hold ends.

    Without ``by`` the deactivation is the server's own (a command)."""
    if by is not None:
        require(rules.may_deactivate(by, user))
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_change(
        by,
        user,
        gettext_noop("person deactivated"),
        before={"is_active": True},
        after={"is_active": False},
    )
    end_sessions(user=user)


def _send_on_commit(invitation: Invitation) -> None:
    send_on_commit(send_invitation, invitation.pk)
