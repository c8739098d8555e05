"""Who answers a person's access request and who erases a person (turvaportaal.lib.rules).

Administrators do both. Erasure is of an account already deactivated (so the person has left
the programme's work) and never of the administrator's own; one already erased has nothing left.
"""

from django.utils.translation import gettext as _

from accounts.models import Role, User
from privacy.pseudonyms import is_anonymised
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


@rule("privacy.export")
def may_export(user: User, person: User) -> Verdict:
    """Export everything the portal holds about a person."""
    if user.role != Role.ADMIN:
        return forbidden(_("Only administrators answer access requests."))
    return ALLOWED


@rule("privacy.erase")
def may_erase(user: User, person: User) -> Verdict:
    """Erase a person: their account anonymised, the audit log and the ledger pseudonymised."""
    if user.role != Role.ADMIN:
        return forbidden(_("Only administrators erase a person's data."))
    if person.pk == user.pk:
        return forbidden(_("You cannot erase your own data."))
    if is_anonymised(person):
        return not_now(_("This person's data has already been erased."))
    if person.is_active:
        return not_now(_("Deactivate the account before erasing the person's data."))
    return ALLOWED
