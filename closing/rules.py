"""Who may write, submit, decide the final report and close the participation, and when.

- The municipality's own people write the final report while it is a draft or returned, and
  submit it when every answer is given; from its lessons they may start a good-practice draft.
- Ministry staff and administrators approve a submitted report or return it with a comment; a
  returned report is changed and submitted again.
- The ministry closes the participation once the report is approved (the last payment comes
  between the two: grants.rules.may_record_disbursement). A closed participation takes no
  changes (programme.rules.unless_closed).
"""

from django.utils.translation import gettext as _

from accounts.models import User
from closing.models import FinalReport
from programme.models import Participation
from programme.rules import unless_closed
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule

Status = FinalReport.Status


def _own(user: User, participation: Participation) -> bool:
    return (
        user.municipality_id is not None and user.municipality_id == participation.municipality_id
    )


def _being_written(report: FinalReport | None) -> Verdict:
    if report is None or report.is_being_written:
        return ALLOWED
    if report.status == Status.SUBMITTED:
        return not_now(_("The final report is waiting for the ministry's decision."))
    return not_now(_("The final report is approved and no longer changes."))


def _report_of(participation: Participation) -> FinalReport | None:
    return FinalReport.objects.filter(participation=participation).first()


@rule("closing.write_report")
def may_write_report(user: User, participation: Participation) -> Verdict:
    """Start the final report, or change it while it is a draft or returned."""
    if not _own(user, participation):
        return forbidden(_("Only the municipality's own people write its final report."))
    return unless_closed(participation) and _being_written(_report_of(participation))


@rule("closing.submit_report")
def may_submit_report(user: User, report: FinalReport) -> Verdict:
    """Hand the report in for the ministry's approval, every answer given."""
    if not _own(user, report.participation):
        return forbidden(_("Only the municipality's own people submit its final report."))
    verdict = unless_closed(report.participation) and _being_written(report)
    if not verdict:
        return verdict
    if report.missing_answers():
        return not_now(_("Answer every question of the report first."))
    return ALLOWED


def _deciding(user: User, report: FinalReport) -> Verdict:
    if not user.has_programme_wide_access:
        return forbidden(_("Only the ministry approves or returns a final report."))
    closed = unless_closed(report.participation)
    if not closed:
        return closed
    if report.status != Status.SUBMITTED:
        return not_now(_("Only a submitted final report is approved or returned."))
    return ALLOWED


@rule("closing.approve_report")
def may_approve_report(user: User, report: FinalReport) -> Verdict:
    return _deciding(user, report)


@rule("closing.return_report")
def may_return_report(user: User, report: FinalReport) -> Verdict:
    """Back to the municipality with a comment, to change and submit again."""
    return _deciding(user, report)


@rule("closing.start_practice")
def may_start_practice(user: User, report: FinalReport) -> Verdict:
    """A good-practice draft from the report's lessons, once; the practice then lives in the
    good-practice library, whatever becomes of the participation."""
    if not _own(user, report.participation):
        return forbidden(_("Only the municipality's own people share its lessons."))
    if report.practice_id is not None:
        return not_now(_("A good practice is started from these lessons already."))
    if not report.lessons.strip():
        return not_now(_("Write the lessons first."))
    return ALLOWED


@rule("closing.close")
def may_close(user: User, participation: Participation) -> Verdict:
    """Close the participation: its pages become read-only."""
    if not user.has_programme_wide_access:
        return forbidden(_("Only the ministry closes a participation."))
    closed = unless_closed(participation)
    if not closed:
        return closed
    report = _report_of(participation)
    if report is None or report.status != Status.APPROVED:
        return not_now(_("The participation closes after its final report is approved."))
    return ALLOWED
