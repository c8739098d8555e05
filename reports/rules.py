"""Who may ask for a report, download one, and export the main tables (turvaportaal.lib.rules).

A report shows its subject's data, so whoever may see the subject may ask for its report and
download it (``visible_to`` of the participation or the application):
- a participation's progress report: the municipality itself, the service provider assigned to
  it and the ministry;
- a submitted application: the municipality, the county evaluator assigned to it and the
  ministry (a draft is not printed);
- the programme report, and the exports of the main tables: the ministry (staff and
  administrators) only.
"""

from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application
from programme.models import Participation
from reports.models import Report
from turvaportaal.lib.rules import ALLOWED, Verdict, forbidden, not_now, rule


def _ministry(user: User) -> bool:
    return user.has_programme_wide_access


def _sees(user: User, objects: Any, pk: int) -> bool:
    """Whether the row is among those the user may see (the ministry sees all)."""
    return _ministry(user) or objects.visible_to(user).filter(pk=pk).exists()


@rule("reports.request")
def may_request(user: User, subject: Participation | Application | None) -> Verdict:
    """Ask for a report of a participation, of an application, or (no subject) of the
    programme."""
    if subject is None:
        if not _ministry(user):
            return forbidden(_("The programme report is for ministry staff."))
        return ALLOWED
    if isinstance(subject, Participation):
        if not _sees(user, Participation.objects, subject.pk):
            return forbidden(
                _(
                    "A progress report is asked for by the municipality, its service provider "
                    "or the ministry."
                )
            )
        return ALLOWED
    if not _sees(user, Application.objects, subject.pk):
        return forbidden(
            _("An application is printed by its municipality, its evaluator or the ministry.")
        )
    if subject.submitted_at is None:
        return not_now(_("Only a submitted application is printed."))
    return ALLOWED


@rule("reports.download")
def may_download(user: User, report: Report) -> Verdict:
    """Download a rendered report."""
    if not _sees(user, Report.objects, report.pk):
        if report.kind == Report.Kind.PROGRAMME:
            return forbidden(_("The programme report is for ministry staff."))
        return forbidden(_("A report is for those who may see its municipality's data."))
    if report.status == Report.Status.FAILED:
        return not_now(_("The report failed; there is no file to download."))
    if report.status != Report.Status.DONE:
        return not_now(_("The report is not ready yet."))
    return ALLOWED


@rule("reports.export")
def may_export(user: User) -> Verdict:
    """Export the main tables as CSV or XLSX."""
    if not _ministry(user):
        return forbidden(_("The main tables are exported by the ministry."))
    return ALLOWED
