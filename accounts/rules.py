"""Who may bring people in and change their access (turvaportaal.lib.rules).

- Invitations: who invites whom is accounts.models.INVITABLE_ROLES (ministry staff everyone but
  administrators; administrators everyone). Ministry staff and administrators send a new link
  for an invitation not yet accepted.
- A person's access (deactivating, the role, the second factor) is changed by administrators,
  in Django admin; never their own role or active state.
"""

from django.utils.translation import gettext as _

from accounts.models import Invitation, Role, User
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
