"""Who may keep the partnership agreements (turvaportaal.lib.rules).

- Ministry staff and administrators draw up each participation's agreement and change its terms
  until the signed agreement is stored; after that it changes only by a signed amendment.
- They store the signed agreement (a .asice or .bdoc container) once; amendments follow it.
- Municipalities and providers read their own agreement and change nothing.
"""

from django.utils.translation import gettext as _

from accounts.models import User
from agreements.models import Agreement
from programme.models import Participation
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


def _ministry(user: User) -> bool:
    return user.has_programme_wide_access


@rule("agreements.edit")
def may_edit(
    user: User, participation: Participation, agreement: Agreement | None = None
) -> Verdict:
    """Draw up a participation's agreement (none yet) or change its terms."""
    if not _ministry(user):
        return forbidden(_("Only the ministry draws up the partnership agreements."))
    if agreement is not None and agreement.is_signed:
        return not_now(_("The agreement is signed: it changes only by an amendment."))
    return ALLOWED


@rule("agreements.upload")
def may_upload(user: User, agreement: Agreement) -> Verdict:
    """Store the signed agreement (a .asice or .bdoc container)."""
    if not _ministry(user):
        return forbidden(_("Only the ministry stores the signed agreement."))
    if agreement.is_signed:
        return not_now(_("The signed agreement is stored already; a change is an amendment."))
    return ALLOWED


@rule("agreements.amend")
def may_amend(user: User, agreement: Agreement) -> Verdict:
    """Add a signed amendment to the agreement."""
    if not _ministry(user):
        return forbidden(_("Only the ministry amends the partnership agreements."))
    if not agreement.is_signed:
        return not_now(_("An agreement is amended once its signed copy is stored."))
    return ALLOWED
