from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest
from applications.models import Application
from audit.services import record_file
from programme.models import Participation
from reports import exports, rules, services
from reports.forms import MunicipalityReportForm, PeriodForm
from reports.models import Report
from turvaportaal.lib.exports import csv_response, xlsx_response
from turvaportaal.lib.paging import page_of
from turvaportaal.lib.rules import refuse_forbidden
from turvaportaal.lib.uploads import attachment


def _visible_reports(user: Any) -> Any:
    return Report.objects.visible_to(user).select_related(
        "participation__municipality", "application__municipality", "application__call"
    )


def _get_visible_report(user: Any, pk: int) -> Report:
    return get_object_or_404(_visible_reports(user), pk=pk)


def report_list(request: AuthenticatedRequest, forms: dict[str, Any] | None = None) -> HttpResponse:
    user = request.user
    forms = forms or {}
    participations = Participation.objects.visible_to(user)
    # Who sees one participation (a municipality, mostly) finds it chosen already.
    seen = list(participations.order_by("pk").values_list("pk", flat=True)[:2])
    only = {"participation": seen[0]} if len(seen) == 1 else None
    return render(
        request,
        "reports/list.html",
        {
            "listing": page_of(request, _visible_reports(user).select_related("requested_by")),
            "municipality_form": forms.get("municipality")
            or (
                MunicipalityReportForm(participations=participations, initial=only)
                if seen
                else None
            ),
            "programme_form": forms.get("programme")
            or (PeriodForm(prefix="programme") if rules.may_request(user, None) else None),
        },
    )


def _queued(request: AuthenticatedRequest, report: Report, accepted: bool) -> HttpResponse:
    report.refresh_from_db(fields=["status"])
    if report.is_finished():  # rendered in this process (no queue): the page says how it went
        return redirect("report_detail", report.pk)
    if accepted:
        messages.success(request, _("The report is queued; this page shows when it is ready."))
    else:
        messages.warning(
            request,
            _(
                "The report queue is unavailable just now. Your request is saved and will be "
                "rendered when the queue is back; this page shows when it is ready."
            ),
        )
    return redirect("report_detail", report.pk)


def _request(request: AuthenticatedRequest, kind: str, form: Any, key: str) -> HttpResponse:
    """Request a report from a valid period form, or show the form again with its errors."""
    if form.is_valid():
        try:
            report, accepted = services.request_report(
                kind=kind, language=get_language(), user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _queued(request, report, accepted)
    return report_list(request, {key: form})


@require_POST
def request_municipality_report(request: AuthenticatedRequest) -> HttpResponse:
    participations = Participation.objects.visible_to(request.user)
    form = MunicipalityReportForm(request.POST, participations=participations)
    return _request(request, Report.Kind.MUNICIPALITY, form, "municipality")


@require_POST
def request_programme_report(request: AuthenticatedRequest) -> HttpResponse:
    refuse_forbidden(rules.may_request(request.user, None))
    form = PeriodForm(request.POST, prefix="programme")
    return _request(request, Report.Kind.PROGRAMME, form, "programme")


@require_POST
def request_application_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
    refuse_forbidden(rules.may_request(request.user, application))
    try:
        report, accepted = services.request_report(
            kind=Report.Kind.APPLICATION,
            language=get_language(),
            user=request.user,
            application=application,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("application_detail", application.pk)
    return _queued(request, report, accepted)


def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _get_visible_report(request.user, pk)
    versions = _visible_reports(request.user).of_same_subject(report).order_by("-version")
    return render(request, "reports/detail.html", {"report": report, "versions": versions})


def report_status(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    """What the status page shows, polled by static/js/report-status.js."""
    report = _get_visible_report(request.user, pk)
    return JsonResponse(
        {
            "status": report.status,
            "label": str(report.get_status_display()),
            "finished": report.is_finished(),
            "reason": report.failure_text,
            "download_url": reverse("report_download", args=[report.pk])
            if report.status == Report.Status.DONE
            else "",
        }
    )


def report_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    report = _get_visible_report(request.user, pk)
    verdict = rules.may_download(request.user, report)
    refuse_forbidden(verdict)
    if not verdict:  # not ready, or failed: its page says how it stands
        messages.error(request, str(verdict))
        return redirect("report_detail", report.pk)
    return record_file(request, attachment(report.file, report.filename()), obj=report)


def export_list(request: AuthenticatedRequest) -> HttpResponse:
    refuse_forbidden(rules.may_export(request.user))
    return render(request, "reports/exports.html", {"tables": exports.TABLES})


def export_table(request: AuthenticatedRequest, table: str, fmt: str) -> HttpResponse:
    refuse_forbidden(rules.may_export(request.user))
    if table not in exports.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    spec = exports.TABLES[table]
    respond = csv_response if fmt == "csv" else xlsx_response
    return record_file(request, respond(table, spec.header, spec.rows(request.user)))
