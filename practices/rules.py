"""Who may describe, change and publish good practices, and when (the workflow of
practices/models.py's docstring).

- A municipality describes practices of its own, changes them while they are drafts, submitted
  or returned, and submits a draft or a returned one for publishing.
- Ministry staff and administrators describe and change any practice, published ones too, submit
  any, publish or return a submitted one, and unpublish a published one.
"""

from django.utils.translation import gettext as _

from accounts.models import User
from practices.models import Practice
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


def _ministry(user: User) -> bool:
    return user.has_programme_wide_access


def _keeps(user: User, practice: Practice) -> bool:
    """Ministry staff keep every practice, a municipality's people those it describes."""
    return _ministry(user) or (
        practice.municipality_id is not None and practice.municipality_id == user.municipality_id
    )


@rule("practices.create_practice")
def may_create_practice(user: User) -> Verdict:
    if not (_ministry(user) or user.municipality_id is not None):
        return forbidden(_("Only municipalities and ministry staff describe practices."))
    return ALLOWED


@rule("practices.edit_practice")
def may_edit_practice(user: User, practice: Practice) -> Verdict:
    if not _keeps(user, practice):
        return forbidden(_("Only the practice's municipality and ministry staff change it."))
    if practice.is_published and not _ministry(user):
        return not_now(
            _(
                "A published practice is changed by ministry staff: write to them what should "
                "change."
            )
        )
    return ALLOWED


@rule("practices.submit_practice")
def may_submit_practice(user: User, practice: Practice) -> Verdict:
    if not _keeps(user, practice):
        return forbidden(_("Only the practice's municipality and ministry staff change it."))
    if practice.status not in (Practice.Status.DRAFT, Practice.Status.RETURNED):
        return not_now(
            _("Only a draft or a returned practice can be submitted; this one is %(status)s.")
            % {"status": practice.get_status_display()}
        )
    return ALLOWED


@rule("practices.publish_practice")
def may_publish_practice(user: User, practice: Practice) -> Verdict:
    if not _ministry(user):
        return forbidden(_("Only ministry staff publish practices."))
    if practice.status != Practice.Status.SUBMITTED:
        return not_now(
            _("Only a practice submitted for publishing can be published; this one is %(status)s.")
            % {"status": practice.get_status_display()}
        )
    return ALLOWED


@rule("practices.return_practice")
def may_return_practice(user: User, practice: Practice) -> Verdict:
    if not _ministry(user):
        return forbidden(_("Only ministry staff return practices to their municipality."))
    if practice.status != Practice.Status.SUBMITTED:
        return not_now(_("Only a practice submitted for publishing can be returned."))
    return ALLOWED


@rule("practices.unpublish_practice")
def may_unpublish_practice(user: User, practice: Practice) -> Verdict:
    if not _ministry(user):
        return forbidden(_("Only ministry staff unpublish practices."))
    if practice.status != Practice.Status.PUBLISHED:
        return not_now(_("The practice is not published."))
    return ALLOWED
