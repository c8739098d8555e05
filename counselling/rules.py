"""Who may write the counselling record, and when.

- A service provider logs sessions with the municipalities assigned to it, and corrects a session
  it logged until the municipality has confirmed it.
- The municipality counselled confirms a session, or disputes it with a comment, until it has
  confirmed it.
- The municipality and the provider assigned to it now move the agreed next steps along.
- A closed participation's record takes no changes (programme.rules.unless_closed).
- Ministry staff and administrators read everything and write none of it.
"""

from django.utils.translation import gettext as _

from accounts.models import User
from counselling.models import CounsellingSession, NextStep
from programme.models import Participation
from programme.rules import unless_closed
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


def _counselled(user: User, session: CounsellingSession) -> bool:
    return (
        user.municipality_id is not None
        and user.municipality_id == session.participation.municipality_id
    )


def _assigned(user: User, participation: Participation) -> bool:
    return (
        user.service_provider_id is not None
        and user.service_provider_id == participation.service_provider_id
    )


@rule("counselling.log_session")
def may_log_session(user: User, participation: Participation | None = None) -> Verdict:
    """Without a participation: whether the person logs sessions at all (the form, its button)."""
    if user.service_provider_id is None:
        return forbidden(_("Only a service provider logs counselling sessions."))
    if participation is not None and not _assigned(user, participation):
        return forbidden(
            _("%(municipality)s is not assigned to your organisation.")
            % {"municipality": participation.municipality}
        )
    if participation is not None:
        return unless_closed(participation)
    return ALLOWED


@rule("counselling.correct_session")
def may_correct_session(user: User, session: CounsellingSession) -> Verdict:
    """The provider who logged it, while it counsels the municipality: after a handover the
    history is the new provider's to read, and no one's to correct."""
    if user.service_provider_id is None or user.service_provider_id != session.service_provider_id:
        return forbidden(_("Only the provider who logged the session corrects it."))
    participation = session.participation
    if not _assigned(user, participation):
        return forbidden(
            _("%(municipality)s is not assigned to your organisation.")
            % {"municipality": participation.municipality}
        )
    if participation.is_closed:
        return unless_closed(participation)
    if session.confirmation == CounsellingSession.Confirmation.CONFIRMED:
        return not_now(_("The municipality has confirmed this session; it can no longer change."))
    return ALLOWED


@rule("counselling.answer_session")
def may_answer_session(user: User, session: CounsellingSession) -> Verdict:
    """Confirm or dispute: a disputed session may still be confirmed, or disputed again."""
    if not _counselled(user, session):
        return forbidden(_("Only the municipality counselled confirms a session."))
    if session.participation.is_closed:
        return unless_closed(session.participation)
    if session.confirmation == CounsellingSession.Confirmation.CONFIRMED:
        return not_now(_("This session is already confirmed."))
    return ALLOWED


@rule("counselling.update_step_status")
def may_update_step_status(user: User, step: NextStep) -> Verdict:
    """Any status to any other, a done step back to open too: both sides keep the list true."""
    session = step.session
    if not (_counselled(user, session) or _assigned(user, session.participation)):
        return forbidden(_("Only the municipality and its provider update a next step."))
    return unless_closed(session.participation)
