"""Who may change an action plan, and when.

Everyone who may see a plan (``ActionPlan.objects.visible_to``: its municipality, the provider
assigned to it, ministry staff) opens every page of it; who may not change a part reads it there,
with the predicate's reason. The predicates:

- The municipality's own people start the plan and write it (the safety field and situation, the
  committees, problems and root causes, goals, activities, the indicators it monitors) while it
  is a draft or returned; they submit it, and reopen an approved plan as the draft of its next
  revision. They record the measurements (monitoring, not the plan's content: in every state),
  define indicators of their own, and send the quarterly updates.
- A closed participation's plan, measurements and updates take no changes
  (programme.rules.unless_closed).
- Ministry staff and administrators approve or return a submitted plan, accept or return (with
  a comment) a sent quarterly update, and keep the indicator catalogue. A returned update is
  corrected and sent again by the municipality.
"""

from django.utils.translation import gettext as _

from accounts.models import User
from actionplans.models import ActionPlan, Indicator, ProgressUpdate
from programme.models import Participation
from programme.rules import unless_closed
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule

Status = ActionPlan.Status


def _own(user: User, participation: Participation) -> bool:
    return (
        user.municipality_id is not None and user.municipality_id == participation.municipality_id
    )


def _being_written(plan: ActionPlan) -> Verdict:
    """A plan takes changes as a draft or returned, not while the ministry decides or approved."""
    if plan.participation.is_closed:
        return unless_closed(plan.participation)
    if plan.status == Status.SUBMITTED:
        return not_now(
            _("The plan is waiting for the ministry's decision and cannot be changed now.")
        )
    if plan.status == Status.APPROVED:
        return not_now(_("The plan is approved: start its next revision to change it."))
    return ALLOWED


@rule("actionplans.start")
def may_start(user: User, participation: Participation | None) -> Verdict:
    """None: the person's municipality takes no part in the programme, or they have none."""
    if participation is None or not _own(user, participation):
        return forbidden(_("Only a participating municipality's own people start its action plan."))
    if ActionPlan.objects.filter(participation=participation).exists():
        return not_now(_("The action plan is started already."))
    return ALLOWED


@rule("actionplans.edit")
def may_edit(user: User, plan: ActionPlan) -> Verdict:
    """The plan's content: field and situation, committees, problems, goals, activities, the
    indicators it monitors."""
    if not _own(user, plan.participation):
        return forbidden(_("Only the municipality's own people change its action plan."))
    return _being_written(plan)


@rule("actionplans.submit")
def may_submit(user: User, plan: ActionPlan) -> Verdict:
    if not _own(user, plan.participation):
        return forbidden(_("Only the municipality's own people submit its action plan."))
    if plan.participation.is_closed:
        return unless_closed(plan.participation)
    if plan.status == Status.SUBMITTED:
        return not_now(_("The plan is waiting for the ministry's decision already."))
    if plan.status == Status.APPROVED:
        return not_now(_("The plan is approved: start its next revision to change it."))
    return ALLOWED


@rule("actionplans.reopen")
def may_reopen(user: User, plan: ActionPlan) -> Verdict:
    """An approved plan changes as the draft of its next revision, approved again."""
    if not _own(user, plan.participation):
        return forbidden(_("Only the municipality's own people revise its action plan."))
    if plan.participation.is_closed:
        return unless_closed(plan.participation)
    if plan.status == Status.SUBMITTED:
        return not_now(
            _("The plan is waiting for the ministry's decision and cannot be changed now.")
        )
    if plan.status != Status.APPROVED:
        return not_now(_("The plan is not approved: it can be changed as it is."))
    return ALLOWED


@rule("actionplans.decide")
def may_decide(user: User, plan: ActionPlan) -> Verdict:
    """Approve (keeping the approved version) or return with comments."""
    if not user.has_programme_wide_access:
        return forbidden(_("Only the ministry approves or returns an action plan."))
    if plan.participation.is_closed:
        return unless_closed(plan.participation)
    if plan.status != Status.SUBMITTED:
        return not_now(_("Only a plan submitted for approval is approved or returned."))
    return ALLOWED


@rule("actionplans.record_measurement")
def may_record_measurement(user: User, plan: ActionPlan) -> Verdict:
    """One measurement or a CSV file of them. Measurements are not the plan's content (no
    revision keeps them), so they are recorded in every state of the plan."""
    if not _own(user, plan.participation):
        return forbidden(_("Only the municipality's own people record its measurements."))
    return unless_closed(plan.participation)


@rule("actionplans.define_indicator")
def may_define_indicator(user: User, plan: ActionPlan) -> Verdict:
    """An indicator of the municipality's own, beside the catalogue's, for its plans to monitor."""
    if not _own(user, plan.participation):
        return forbidden(_("Only the municipality's own people define its own indicators."))
    return ALLOWED


@rule("actionplans.submit_update")
def may_submit_update(user: User, update: ProgressUpdate) -> Verdict:
    """A quarter's progress update: sent once, and sent again, corrected, when the ministry
    returns it."""
    if not _own(user, update.plan.participation):
        return forbidden(_("Only the municipality's own people send its quarterly updates."))
    if update.plan.participation.is_closed:
        return unless_closed(update.plan.participation)
    if update.is_awaiting_review:
        return not_now(_("This quarter's update is sent already."))
    if update.submitted_at is not None and not update.is_returned:
        return not_now(_("This quarter's update is accepted by the ministry."))
    return ALLOWED


def _reviewing(user: User, update: ProgressUpdate) -> Verdict:
    """The ministry reviews an update that is sent and not reviewed since."""
    if not user.has_programme_wide_access:
        return forbidden(_("Only the ministry accepts or returns a quarterly update."))
    if update.plan.participation.is_closed:
        return unless_closed(update.plan.participation)
    if update.submitted_at is None:
        return not_now(_("The update is not sent yet."))
    if update.is_returned:
        return not_now(
            _("The update is returned: the municipality corrects it and sends it again.")
        )
    if not update.is_awaiting_review:
        return not_now(_("The update is accepted already."))
    return ALLOWED


@rule("actionplans.accept_update")
def may_accept_update(user: User, update: ProgressUpdate) -> Verdict:
    """Accept a sent update as it is."""
    return _reviewing(user, update)


@rule("actionplans.return_update")
def may_return_update(user: User, update: ProgressUpdate) -> Verdict:
    """Back to the municipality with a comment, to correct and send again."""
    return _reviewing(user, update)


@rule("actionplans.edit_catalogue")
def may_edit_catalogue(user: User, indicator: Indicator) -> Verdict:
    """A catalogue indicator, or a new one (unsaved) for the catalogue."""
    if not user.has_programme_wide_access:
        return forbidden(_("Only the ministry keeps the indicator catalogue."))
    if indicator.municipality_id is not None:
        return forbidden(_("A municipality's own indicator is not part of the catalogue."))
    return ALLOWED
