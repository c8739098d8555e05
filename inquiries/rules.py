"""Who may ask a municipality for more information, answer, and withdraw a question, and when
(turvaportaal.lib.rules).

- The ministry (staff and administrators) asks about what waits for its decision: an application
  under evaluation, an action plan submitted for approval, an expenditure waiting for review, a
  budget change waiting for a decision, a quarterly update waiting for review. An evaluator may
  ask about an application assigned to them once they have declared no conflict of interest; a
  ministry member who declared one with the application does not ask about it.
- One question at a time: while a request is open on an object, no other is asked about it.
- The municipality's own people answer its requests, once.
- Whoever asked, and the ministry, may withdraw a request that is no longer needed, until it is
  answered: an application's evaluation does not wait for an answer that will not come.
"""

from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from actionplans.models import ActionPlan, ProgressUpdate
from applications.models import Application, Assignment, Status
from grants.models import BudgetChange, EntryState, LedgerEntry
from inquiries.models import InformationRequest, Subject, requests_about, subject_of
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


def open_request_of(thing: Any) -> InformationRequest | None:
    """The request open on the object (at most one): an application keeps it once read (the
    evaluation's rules ask for it too), anything else reads it from its requests."""
    if isinstance(thing, Application):
        return thing.open_information_request  # type: ignore[no-any-return]
    return next((found for found in requests_about(thing) if found.is_open), None)


def _asks_about_application(user: User, application: Application) -> Verdict:
    """The ministry, but not a member who declared a conflict of interest with the application;
    an evaluator assigned to it who declared none."""
    assignment = Assignment.objects.filter(application=application, evaluator=user).first()
    if assignment is not None and assignment.has_conflict:
        return forbidden(
            _("You declared a conflict of interest with this application: you do not ask about it.")
        )
    if user.has_programme_wide_access:
        return ALLOWED
    if assignment is None:
        return forbidden(
            _("Only the ministry and the application's evaluators ask for more information.")
        )
    if assignment.has_conflict is None:
        return not_now(_("Declare that you have no conflict of interest before asking."))
    return ALLOWED


def _waits_for_the_ministry(thing: Any) -> Verdict:
    """Whether the object waits for the ministry now: only then is more information asked."""
    if isinstance(thing, Application):
        if thing.status != Status.UNDER_EVALUATION:
            return not_now(_("More information is asked about an application under evaluation."))
    elif isinstance(thing, ActionPlan):
        if thing.status != ActionPlan.Status.SUBMITTED:
            return not_now(
                _("More information is asked about a plan waiting for the ministry's decision.")
            )
    elif isinstance(thing, LedgerEntry):
        if thing.kind != LedgerEntry.Kind.EXPENDITURE:
            return forbidden(_("More information is asked about an expenditure only."))
        if thing.state != EntryState.PENDING:
            return not_now(_("More information is asked about an expenditure waiting for review."))
    elif isinstance(thing, BudgetChange):
        if thing.status != BudgetChange.Status.PENDING:
            return not_now(
                _("More information is asked about a budget change waiting for a decision.")
            )
    elif isinstance(thing, ProgressUpdate) and not thing.is_awaiting_review:
        return not_now(_("More information is asked about an update waiting for review."))
    return ALLOWED


@rule("inquiries.ask")
def may_ask(user: User, thing: Any) -> Verdict:
    """A question to the object's municipality about what waits for the ministry's decision, one
    open at a time."""
    if subject_of(thing) == Subject.APPLICATION:
        asking = _asks_about_application(user, thing)
    elif user.has_programme_wide_access:
        asking = ALLOWED
    else:
        asking = forbidden(_("Only the ministry asks a municipality for more information."))
    if not asking:
        return asking
    if not (waiting := _waits_for_the_ministry(thing)):
        return waiting
    if (open_request := open_request_of(thing)) is not None:
        return not_now(
            _("More information is already requested: %(awaited)s.")
            % {"awaited": open_request.awaited}
        )
    return ALLOWED


@rule("inquiries.answer")
def may_answer(user: User, request: InformationRequest) -> Verdict:
    """The municipality's own people answer its request, once."""
    if user.municipality_id is None or user.municipality_id != request.municipality_id:
        return forbidden(_("Only the municipality's own people answer its requests."))
    if request.answered_at is not None:
        return not_now(_("This request is answered already."))
    if request.withdrawn_at is not None:
        return not_now(_("This request was withdrawn: no answer is needed."))
    return ALLOWED


@rule("inquiries.withdraw")
def may_withdraw(user: User, request: InformationRequest) -> Verdict:
    """Who asked, or the ministry, withdraws a request no longer needed, until it is answered."""
    if not user.has_programme_wide_access and request.asked_by_id != user.pk:
        return forbidden(_("Only who asked, and the ministry, withdraw a request."))
    if request.answered_at is not None:
        return not_now(_("This request is answered already."))
    if request.withdrawn_at is not None:
        return not_now(_("This request is withdrawn already."))
    return ALLOWED
