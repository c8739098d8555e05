"""Who may change what in the intake and the evaluation, and when (turvaportaal.lib.rules).

- A municipality's own people start its application in an open call (a municipality already in
  the programme never applies again), change its sections and submit it while it is a draft and
  the call is open, and withdraw it to change it until the deadline.
- The ministry (staff and administrators) sets the criteria until scoring starts, starts the
  evaluation after the deadline, assigns evaluators to the applications under evaluation,
  records the outcome of consensus discussions and confirms the selection, and exports the
  applications.
- An assigned evaluator declares a conflict of interest and then scores, while the application
  is under evaluation.
- A call's results (others' scores, consensus, the proposal) are for the ministry, and for a
  ministry member who evaluates in the call only once their own evaluations there are done:
  scoring stays independent.
- While the ministry's request for more information about an application is open (inquiries),
  its evaluation waits: no one scores it and the selection of its call is not confirmed; its
  municipality changes only the sections the request names, until it answers.

The deadline is a moment (Call.deadline_at, set in Estonian time): the server compares it with
its own clock, whatever the browser's clock or time zone says.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from applications.models import (
    Application,
    Assignment,
    AssignmentQuerySet,
    Score,
    Section,
    SelectionDecision,
    Status,
)
from programme.models import Call, Municipality, Participation
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


def _own(user: User, application: Application) -> bool:
    return user.municipality_id is not None and user.municipality_id == application.municipality_id


def _ministry(user: User) -> bool:
    return user.has_programme_wide_access


def _under_evaluation(application: Application) -> Verdict:
    if application.status in (Status.DRAFT, Status.SUBMITTED):
        return not_now(_("The evaluation of this application has not started."))
    if application.status != Status.UNDER_EVALUATION:
        return not_now(_("The evaluation of this application has ended."))
    return ALLOWED


# The intake: a municipality's own people


@rule("applications.start")
def may_start(user: User, call: Call, municipality: Municipality | None = None) -> Verdict:
    """A municipality's people open its application in an open call, one a call."""
    if user.municipality_id is None:
        return forbidden(_("Only municipalities apply to a call."))
    if municipality is not None and municipality.pk != user.municipality_id:
        return forbidden(_("Only a municipality's own people apply for it."))
    if Participation.objects.filter(municipality_id=user.municipality_id).exists():
        return forbidden(
            _("Your municipality already takes part in the programme and cannot apply again.")
        )
    if not call.is_open():
        return not_now(_("This call is not accepting applications."))
    if Application.objects.filter(call=call, municipality_id=user.municipality_id).exists():
        return not_now(_("This municipality already has an application in this call."))
    county = (municipality or user.municipality).county  # type: ignore[union-attr]
    participants = county.participant_names()
    if len(participants) >= county.participant_limit:
        return not_now(
            ngettext(
                "%(county)s has no free place left: at most %(limit)s of its municipalities may "
                "take part in the programme over all calls, and %(participants)s already does.",
                "%(county)s has no free place left: at most %(limit)s of its municipalities may "
                "take part in the programme over all calls, and %(participants)s already do.",
                len(participants),
            )
            % {
                "county": county.name,
                "limit": county.participant_limit,
                "participants": ", ".join(participants),
            }
        )
    return ALLOWED


def _waiting_for_information(application: Application) -> Verdict:
    """The evaluation waits while the ministry's request for more information is open."""
    if (request := application.open_information_request) is not None:
        return not_now(
            _("The evaluation waits for more information: %(awaited)s.")
            % {"awaited": request.awaited}
        )
    return ALLOWED


@rule("applications.edit")
def may_edit(user: User, application: Application, section: Section | str | None = None) -> Verdict:
    """A section of a draft changes until the deadline; a submitted one is withdrawn first.
    Under evaluation, only the sections the ministry's open request for more information names
    change, until the municipality answers. ``section``: the section to change (None: the
    application as a draft, every section)."""
    if not _own(user, application):
        return forbidden(_("Only the municipality's own people change its application."))
    request = (
        application.open_information_request
        if application.status == Status.UNDER_EVALUATION
        else None
    )
    if request is not None:
        if section is not None and Section(section) in request.sections:
            return ALLOWED
        if not request.sections:
            return not_now(
                _(
                    "The ministry asks for more information but opened no part of the "
                    "application for changes: answer the question instead."
                )
            )
        return not_now(
            _("Until you answer the ministry's question, only these parts may change: %(parts)s.")
            % {"parts": ", ".join(request.section_labels)}
        )
    call = application.call
    if call.is_past_deadline():
        return not_now(
            _("The call's deadline has passed; the application can no longer be changed.")
        )
    if application.status != Status.DRAFT:
        return not_now(_("A submitted application cannot be changed. Withdraw it first."))
    if not call.is_open():
        return not_now(_("This call is not accepting applications."))
    return ALLOWED


@rule("applications.submit")
def may_submit(user: User, application: Application, at: datetime | None = None) -> Verdict:
    """A draft is handed in before the deadline (``at``, now by default); whether it is complete
    is the workflow's question, answered part by part (Application.missing_parts)."""
    if not _own(user, application):
        return forbidden(_("Only the municipality's own people submit its application."))
    if application.status != Status.DRAFT:
        return not_now(_("This application has already been submitted."))
    if application.call.is_past_deadline(at):
        return not_now(_("The call's deadline has passed; applications are no longer accepted."))
    if not application.call.is_open(at):
        return not_now(_("This call is not accepting applications."))
    return ALLOWED


@rule("applications.withdraw")
def may_withdraw(user: User, application: Application) -> Verdict:
    """A submitted application goes back to draft to be changed, until the deadline."""
    if not _own(user, application):
        return forbidden(_("Only the municipality's own people withdraw its application."))
    if application.status == Status.DRAFT:
        return not_now(_("Only a submitted application can be withdrawn."))
    if application.status != Status.SUBMITTED or not application.call.is_open():
        return not_now(
            _("The call's deadline has passed; the application can no longer be withdrawn.")
        )
    return ALLOWED


@rule("applications.export")
def may_export(user: User) -> Verdict:
    if not _ministry(user):
        return forbidden(_("The applications are exported by the ministry."))
    return ALLOWED


# The evaluation: the ministry and the assigned evaluators


@rule("applications.edit_criteria")
def may_edit_criteria(user: User, call: Call) -> Verdict:
    """The criteria and their weights are set until the first score is given."""
    if not _ministry(user):
        return forbidden(_("Only the ministry sets the evaluation criteria."))
    if Score.objects.filter(criterion__call=call).exists():
        return not_now(_("Scoring has started; the criteria can no longer change."))
    return ALLOWED


@rule("applications.start_evaluation")
def may_start_evaluation(user: User, call: Call) -> Verdict:
    """After the deadline, the submitted applications move to evaluation."""
    if not _ministry(user):
        return forbidden(_("Only the ministry starts the evaluation."))
    if not call.is_past_deadline():
        return not_now(_("Evaluation can start only after the deadline."))
    if not call.applications.filter(status=Status.SUBMITTED).exists():
        return not_now(_("No submitted application waits for evaluation."))
    return ALLOWED


@rule("applications.assign")
def may_assign(user: User, application: Application) -> Verdict:
    if not _ministry(user):
        return forbidden(_("Only the ministry assigns evaluators."))
    if application.status != Status.UNDER_EVALUATION:
        return not_now(_("Only applications under evaluation get evaluators."))
    return ALLOWED


@rule("applications.declare_conflict")
def may_declare_conflict(user: User, assignment: Assignment) -> Verdict:
    """The evaluator says whether they have a conflict of interest, until they have scored."""
    if assignment.evaluator_id != user.pk:
        return forbidden(_("Only the assigned evaluator declares a conflict of interest."))
    if not (verdict := _under_evaluation(assignment.application)):
        return verdict
    if assignment.submitted_at:
        return not_now(_("The scores are submitted; the declaration cannot change."))
    return ALLOWED


@rule("applications.score")
def may_score(user: User, assignment: Assignment) -> Verdict:
    """The evaluator scores once, having declared no conflict, while scoring is open (the
    application is under evaluation)."""
    if assignment.evaluator_id != user.pk:
        return forbidden(_("Only the assigned evaluator scores the application."))
    if not (verdict := _under_evaluation(assignment.application)):
        return verdict
    if assignment.submitted_at:
        return not_now(_("These scores are already submitted."))
    if assignment.has_conflict is None:
        return not_now(_("Declare that you have no conflict of interest before scoring."))
    if assignment.has_conflict:
        return not_now(
            _(
                "You declared a conflict of interest: you do not score this application and do "
                "not see its scores."
            )
        )
    return _waiting_for_information(assignment.application)


def _running(user: User, call: Call) -> AssignmentQuerySet:
    """The user's assignments in the call whose evaluation runs."""
    return Assignment.objects.filter(
        evaluator=user, application__call=call, application__status=Status.UNDER_EVALUATION
    )


def evaluations_to_do(user: User, call: Call) -> AssignmentQuerySet:
    """What keeps the call's results hidden from an evaluator: their evaluations in it still
    to do."""
    return _running(user, call).to_do()


@rule("applications.see_results")
def may_see_results(user: User, call: Call) -> Verdict:
    """The call's results, others' scores and the proposal: for the ministry, and for a ministry
    member who evaluates in the call once their own evaluations there are done (or declined for
    a conflict of interest, which hides the results until the selection is confirmed)."""
    if not _ministry(user):
        return forbidden(_("The results of a call are for the ministry."))
    running = _running(user, call)
    if left := running.to_do().count():
        return not_now(
            ngettext(
                "Finish your own evaluations of this call first: %(count)s left.",
                "Finish your own evaluations of this call first: %(count)s left.",
                left,
            )
            % {"count": left}
        )
    if running.filter(has_conflict=True).exists():
        return not_now(
            _(
                "You declared a conflict of interest with an application of this call: its "
                "results are not shown to you until the selection is confirmed."
            )
        )
    return ALLOWED


@rule("applications.agree")
def may_agree(user: User, application: Application) -> Verdict:
    """The outcome of a discussion of scores that differ too much, while the application is
    under evaluation, by the ministry, once it may see the scores."""
    if not _ministry(user):
        return forbidden(_("Only the ministry records the outcome of a consensus discussion."))
    if not (verdict := _under_evaluation(application)):
        return verdict
    return may_see_results(user, application.call)


@rule("applications.confirm_selection")
def may_confirm_selection(user: User, call: Call) -> Verdict:
    """The ministry decides every application under evaluation, once, after the deadline; whether
    every application is scored is the workflow's question."""
    if not _ministry(user):
        return forbidden(_("Only the ministry confirms the selection."))
    if not call.is_past_deadline():
        return not_now(_("The selection is confirmed after the call's deadline."))
    if SelectionDecision.objects.filter(application__call=call).exists():
        return not_now(_("The selection of this call is already confirmed."))
    if not (results := may_see_results(user, call)):
        return results
    under_evaluation = (
        call.applications.filter(status=Status.UNDER_EVALUATION)
        .select_related("municipality")
        .prefetch_related("information_requests__municipality")
    )
    awaited = [
        application.open_information_request.awaited
        for application in under_evaluation
        if application.open_information_request is not None
    ]
    if awaited:
        return not_now(
            _("The selection waits for more information: %(awaited)s.")
            % {"awaited": "; ".join(awaited)}
        )
    return ALLOWED
