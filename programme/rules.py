"""Who may change the programme's frame (turvaportaal.lib.rules).

- The ministry (staff and administrators) runs the calls, takes in participations from before
  the portal, keeps the service-provider organisations and assigns each participation to one.
- A closed participation takes no changes: `unless_closed` is the one answer every app's write
  rules give for it.
- Administrators alone change the reference data (counties, municipalities, partner agencies)
  and a participation's own facts (municipality, cohort, dates, grant), in Django admin: the
  portal has no page for either.
"""

from django.utils.translation import gettext as _

from accounts.models import Role, User
from programme.models import Call, Participation, ServiceProvider
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


def _ministry(user: User) -> bool:
    return user.has_programme_wide_access


def _administrator(user: User) -> bool:
    return user.role == Role.ADMIN


@rule("programme.edit_call")
def may_edit_call(user: User, call: Call | None = None) -> Verdict:
    """Open a call (none given) or change one, with its start years and information sessions."""
    if not _ministry(user):
        return forbidden(_("Only the ministry runs the calls."))
    return ALLOWED


@rule("programme.import_participations")
def may_import_participations(user: User) -> Verdict:
    """Take in participations that began before the portal, from a CSV file."""
    if not _ministry(user):
        return forbidden(_("Only the ministry takes in participations from before the portal."))
    return ALLOWED


@rule("programme.edit_provider")
def may_edit_provider(user: User, provider: ServiceProvider | None = None) -> Verdict:
    """Add a provider organisation (none given) or change one's details."""
    if not _ministry(user):
        return forbidden(_("Only the ministry keeps the details of the service providers."))
    return ALLOWED


@rule("programme.assign_providers")
def may_assign_providers(user: User) -> Verdict:
    """Choose which provider counsels each participation."""
    if not _ministry(user):
        return forbidden(_("Only the ministry assigns the service providers."))
    return ALLOWED


@rule("programme.edit_reference_data")
def may_edit_reference_data(user: User) -> Verdict:
    """Change the counties, municipalities or partner agencies (Django admin)."""
    if not _administrator(user):
        return forbidden(
            _("Counties, municipalities and partner agencies are kept by the administrators.")
        )
    return ALLOWED


@rule("programme.edit_participation")
def may_edit_participation(user: User, participation: Participation | None = None) -> Verdict:
    """Change a participation's municipality, cohort, dates or grant by hand (Django admin)."""
    if not _administrator(user):
        return forbidden(_("Only an administrator corrects a participation by hand."))
    return ALLOWED


def unless_closed(participation: Participation) -> Verdict:
    """The one answer to every change of a closed participation's objects (its plan, indicators
    and measurements, ledger, budget, counselling, messages, final report): each app's write
    rules ask it after who the person is."""
    if participation.is_closed:
        return not_now(_("Not now: the participation is closed."))
    return ALLOWED
