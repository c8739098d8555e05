"""Who may bring people in and change their access (turvaportaal.lib.rules).

- Invitations: who invites whom is accounts.models.INVITABLE_ROLES (ministry staff everyone but
  administrators; administrators everyone). Ministry staff and administrators send a new link
  for an invitation not yet accepted.
- A person's access (deactivating, the role, the second factor) is changed by administrators,
  in Django admin; never their own role or active state.
- Signing in: with a password, unless the person's role is in settings.PASSWORD_SIGN_IN_OFF_FOR;
  with eID (TARA), unless the person is ministry staff or an administrator whose eID is at the
  low level of assurance and settings.TARA_LOW_ASSURANCE_STAFF is "refuse". The user asked
  about is the person signing in.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import Invitation, Role, User
from accounts.tara import SECOND_FACTOR_LEVELS
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


def _administrator(user: User) -> bool:
    return user.role == Role.ADMIN


@rule("accounts.invite")
def may_invite(user: User, role: str | None = None) -> Verdict:
    """Invite a person of the given role; without a role, whether this person invites anyone."""
    roles = user.invitable_roles()
    if not roles:
        return forbidden(_("Only ministry staff and administrators invite people."))
    if role is not None and role not in roles:
        return forbidden(
            _("Your role does not invite a person as %(role)s.")
            % {"role": Role(role).label if role in Role.values else role}
        )
    return ALLOWED


@rule("accounts.resend")
def may_resend(user: User, invitation: Invitation) -> Verdict:
    """Send a new link (with a new expiry) for an invitation."""
    if not user.has_programme_wide_access:
        return forbidden(_("Only ministry staff and administrators send invitations."))
    if invitation.accepted_at is not None:
        return not_now(_("This invitation has already been accepted."))
    return ALLOWED


@rule("accounts.deactivate")
def may_deactivate(user: User, person: User) -> Verdict:
    """Take a person's access away (they cannot sign in, and every session of theirs ends)."""
    if not _administrator(user):
        return forbidden(_("Only an administrator deactivates a person."))
    if person.pk == user.pk:
        return forbidden(_("You cannot deactivate your own account."))
    if not person.is_active:
        return not_now(_("This person is inactive already."))
    return ALLOWED


@rule("accounts.change_role")
def may_change_role(user: User, person: User) -> Verdict:
    """Give a person another role (and with it another organisation)."""
    if not _administrator(user):
        return forbidden(_("Only an administrator changes a person's role."))
    if person.pk == user.pk:
        return forbidden(_("You cannot change your own role."))
    return ALLOWED


@rule("accounts.reset_second_factor")
def may_reset_second_factor(user: User, person: User | None = None) -> Verdict:
    """Delete or change a person's authenticator device, so that they set up a new one."""
    if not _administrator(user):
        return forbidden(_("Only an administrator resets a person's second factor."))
    return ALLOWED


@rule("accounts.sign_in_with_password")
def may_sign_in_with_password(user: User) -> Verdict:
    """Sign in with the e-mail address and password (and the second factor, for staff)."""
    if user.role in settings.PASSWORD_SIGN_IN_OFF_FOR:
        return forbidden(
            _(
                "People in your role sign in with Estonian eID (ID-card, Mobile-ID or Smart-ID), "
                "not with a password."
            )
        )
    return ALLOWED


@rule("accounts.sign_in_with_eid")
def may_sign_in_with_eid(user: User, level: str) -> Verdict:
    """Sign in with eID through TARA at the given level of assurance (low, substantial, high).

    Below substantial the eID is not a second factor: staff are then asked for their app's code,
    or refused (settings.TARA_LOW_ASSURANCE_STAFF)."""
    if not user.is_active:
        return forbidden(_("Your account is no longer active. Ask the ministry if you need it."))
    if (
        user.is_second_factor_required
        and level not in SECOND_FACTOR_LEVELS
        and settings.TARA_LOW_ASSURANCE_STAFF == "refuse"
    ):
        return forbidden(
            _(
                "This eID does not assure who you are well enough for ministry staff. Sign in "
                "with an Estonian ID-card, Mobile-ID or Smart-ID."
            )
        )
    return ALLOWED
