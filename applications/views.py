from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import AuthenticatedRequest, programme_staff_required
from applications import rules, services
from applications.filters import ApplicationFilter
from applications.forms import (
    ActivityFormSet,
    ApplicationForm,
    BudgetFormSet,
    CouncilDecisionForm,
    DeclarationForm,
    TeamFormSet,
)
from applications.models import Application, Section, Status, TaskState, next_section
from applications.timeline import build_timeline
from audit.services import record_file
from programme.models import Call, County
from turvaportaal.lib.exports import csv_response
from turvaportaal.lib.paging import page_of
from turvaportaal.lib.rules import refuse_forbidden
from turvaportaal.lib.uploads import attachment


def _get_visible_application(user: Any, pk: int) -> Application:
    """The application if this user may see it; otherwise 404."""
    return get_object_or_404(
        Application.objects.visible_to(user).select_related("call", "municipality__county"),
        pk=pk,
    )


def _section_page(
    request: AuthenticatedRequest,
    application: Application,
    section: Section,
    forms: dict[str, Any],
) -> HttpResponse:
    return render(
        request,
        f"applications/section_{section.value}.html",
        {"application": application, "section": section, **forms},
    )


def _save_or_keep(
    request: AuthenticatedRequest, application: Application, section: Section, **parts: Any
) -> bool:
    """Save a valid section; on any refusal keep what was typed on the page, saving nothing."""
    if not all(part.is_valid() for part in parts.values()):
        return False
    try:
        services.save_section(application=application, user=request.user, section=section, **parts)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, _("%(section)s saved.") % {"section": section.label})
    return True


def _saved(
    request: AuthenticatedRequest, application: Application, section: Section
) -> HttpResponse:
    """Where a saved section leads: "save and continue" to the next section, and after the
    last to the answers to check; "save and come back later" to the task list. An application
    under evaluation, changed while the ministry waits for more information, goes back to its
    page, where the question is answered."""
    if "continue" not in request.POST or application.status != Status.DRAFT:
        return redirect("application_detail", application.pk)
    following = next_section(section)
    return redirect(
        f"application_{following.value}" if following else "application_submit", application.pk
    )


def _refuse_if_locked(
    request: AuthenticatedRequest, application: Application, section: Section
) -> HttpResponse | None:
    """403 for who may never change the section; a request to change it when it cannot change
    now goes back to the application's read-only page, with the reason."""
    verdict = rules.may_edit(request.user, application, section)
    refuse_forbidden(verdict)
    if not verdict:
        messages.error(request, str(verdict))
        return redirect("application_detail", application.pk)
    return None


def _answers(application: Application) -> dict[str, Any]:
    """Every answer of the application, as the overview and the check-answers page show it."""
    activities = list(application.activities.prefetch_related("partners"))
    return {
        "application": application,
        "team": application.team_members.all(),
        "budget_lines": application.budget_lines.all(),
        "activities": activities,
        "timeline": build_timeline(
            [(a.title, a.start_month, a.end_month) for a in activities],
            application.call.programme_months,
        ),
        "decisions": application.council_decisions.select_related("uploaded_by"),
    }


def application_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _get_visible_application(request.user, pk)
    return render(
        request,
        "applications/detail.html",
        {
            **_answers(application),
            "history": application.history.select_related("changed_by"),
            **_task_list(application),
        },
    )


def _task_list(application: Application) -> dict[str, Any]:
    if application.status != Status.DRAFT:
        return {}
    tasks = application.task_list()
    sections = [task for task in tasks if task.section]
    return {
        "tasks": tasks,
        "section_count": len(sections),
        "completed_sections": sum(task.state == TaskState.COMPLETED for task in sections),
    }


def edit_form(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _get_visible_application(request.user, pk)
    if refusal := _refuse_if_locked(request, application, Section.FORM):
        return refusal
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, instance=application)
    team = TeamFormSet(data, instance=application, prefix="team")
    if data is not None and _save_or_keep(
        request, application, Section.FORM, form=form, formset=team
    ):
        return _saved(request, application, Section.FORM)
    return _section_page(request, application, Section.FORM, {"form": form, "team": team})


def edit_budget(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _get_visible_application(request.user, pk)
    if refusal := _refuse_if_locked(request, application, Section.BUDGET):
        return refusal
    data = request.POST if request.method == "POST" else None
    budget = BudgetFormSet(data, instance=application, prefix="budget")
    if data is not None and _save_or_keep(request, application, Section.BUDGET, formset=budget):
        return _saved(request, application, Section.BUDGET)
    return _section_page(request, application, Section.BUDGET, {"budget": budget})


def edit_activities(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _get_visible_application(request.user, pk)
    if refusal := _refuse_if_locked(request, application, Section.ACTIVITIES):
        return refusal
    data = request.POST if request.method == "POST" else None
    activities = ActivityFormSet(
        data,
        instance=application,
        queryset=application.activities.prefetch_related("partners"),
        prefix="activities",
        form_kwargs={"programme_months": application.call.programme_months},
    )
    if data is not None and _save_or_keep(
        request, application, Section.ACTIVITIES, formset=activities
    ):
        return _saved(request, application, Section.ACTIVITIES)
    saved = list(application.activities.all())
    timeline = build_timeline(
        [(a.title, a.start_month, a.end_month) for a in saved], application.call.programme_months
    )
    return _section_page(
        request, application, Section.ACTIVITIES, {"activities": activities, "timeline": timeline}
    )


def council_decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _get_visible_application(request.user, pk)
    if refusal := _refuse_if_locked(request, application, Section.DECISION):
        return refusal
    form = CouncilDecisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_council_decision(
                application=application,
                uploaded_file=form.cleaned_data["file"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The council decision was uploaded."))
            return _saved(request, application, Section.DECISION)
    return _section_page(
        request,
        application,
        Section.DECISION,
        {"form": form, "decisions": application.council_decisions.select_related("uploaded_by")},
    )


def download_decision(request: AuthenticatedRequest, pk: int, decision_pk: int) -> HttpResponseBase:
    application = _get_visible_application(request.user, pk)
    decision = get_object_or_404(application.council_decisions, pk=decision_pk)
    return record_file(request, attachment(decision.file, decision.original_name), obj=decision)


@require_POST
def start(request: AuthenticatedRequest, call_pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=call_pk)
    refuse_forbidden(rules.may_start(request.user, call))
    municipality = request.user.municipality
    assert municipality is not None  # applications.start refuses anyone of no municipality
    try:
        application = services.start_application(
            call=call, municipality=municipality, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        existing = Application.objects.visible_to(request.user).filter(call=call).first()
        return redirect("application_detail", existing.pk) if existing else redirect("dashboard")
    return redirect("application_form", application.pk)


@require_http_methods(["GET", "POST"])
def submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Check your answers: every answer with a link to change it and the declaration (GET);
    submitting, once the declaration is confirmed (POST)."""
    application = _get_visible_application(request.user, pk)
    submitting = rules.may_submit(request.user, application)
    refuse_forbidden(submitting)
    if not submitting:
        messages.error(request, str(submitting))
        return redirect("application_detail", application.pk)
    form = DeclarationForm(request.POST or None)
    missing = None
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_application(application=application, user=request.user)
        except services.Incomplete as error:
            missing = error.parts
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("application_receipt", application.pk)
    return render(
        request,
        "applications/check_answers.html",
        {
            **_answers(application),
            "form": form,
            "missing": application.missing_parts() if missing is None else missing,
        },
    )


@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Are you sure: what withdrawing does, and until when it can be submitted again (GET);
    the withdrawal itself (POST)."""
    application = _get_visible_application(request.user, pk)
    withdrawing = rules.may_withdraw(request.user, application)
    refuse_forbidden(withdrawing)
    if request.method == "GET":
        return render(
            request,
            "applications/withdraw_confirm.html",
            {"application": application, "withdrawing": withdrawing},
        )
    try:
        services.withdraw_application(application=application, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The application is a draft again. Submit it again before the deadline.")
        )
    return redirect("application_detail", application.pk)


def receipt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _get_visible_application(request.user, pk)
    if application.submitted_at is None:
        return redirect("application_detail", application.pk)
    return render(request, "applications/receipt.html", {"application": application})


@programme_staff_required
def application_list(request: AuthenticatedRequest) -> HttpResponse:
    applications = (
        Application.objects.visible_to(request.user)
        .with_budget_total()
        .order_by("municipality__name", "pk")  # a page needs a stable order
    )
    application_filter = ApplicationFilter(request.GET, queryset=applications)
    return render(
        request,
        "applications/list.html",
        {
            "filter": application_filter,
            "listing": page_of(request, application_filter.qs),
            "status_counts": application_filter.qs.count_by_status(),
        },
    )


@programme_staff_required
def export_csv(request: AuthenticatedRequest) -> HttpResponse:
    refuse_forbidden(rules.may_export(request.user))
    applications = Application.objects.visible_to(request.user).with_budget_total()
    rows = ApplicationFilter(request.GET, queryset=applications).qs
    response = csv_response(
        "applications",
        [
            _("Call"),
            _("Municipality"),
            _("EHAK code"),
            _("County"),
            _("Status"),
            _("Preferred start year"),
            _("Budget total (EUR)"),
            _("Submitted"),
            _("Contact person"),
            _("E-mail"),
        ],
        (
            [
                application.call.title,
                application.municipality.name,
                application.municipality.ehak_code,
                application.municipality.county.name,
                application.get_status_display(),
                application.preferred_start_year or "",
                Decimal(application.budget_total).quantize(Decimal("0.01")),
                application.submitted_at or "",
                application.contact_name,
                application.contact_email,
            ]
            for application in rows
        ),
    )
    return record_file(request, response)


@programme_staff_required
def call_overview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.prefetch_related("start_years", "info_sessions"), pk=pk)
    applications = Application.objects.visible_to(request.user).filter(call=call)
    counties = County.objects.annotate(
        submitted=Count(
            "municipalities__applications",
            filter=Q(municipalities__applications__in=applications.submitted()),
        ),
        drafts=Count(
            "municipalities__applications",
            filter=Q(municipalities__applications__in=applications.filter(status=Status.DRAFT)),
        ),
    )
    return render(
        request,
        "applications/call_overview.html",
        {
            "call": call,
            "status_counts": applications.count_by_status(),
            "counties": counties,
            "counties_without": [county for county in counties if not county.submitted],
        },
    )


@require_POST
@programme_staff_required
def start_evaluation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    refuse_forbidden(rules.may_start_evaluation(request.user, call))
    try:
        moved = services.start_evaluation(call=call, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(count)s applications moved to evaluation.") % {"count": moved}
        )
    return redirect("call_overview", call.pk)
