from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest
from accounts.models import User
from actionplans.models import Activity
from closing import rules, services
from closing.forms import ReportForm, ReturnForm
from closing.models import ActivityResult, FinalReport
from programme.models import Participation
from turvaportaal.lib.rules import refuse_forbidden


def _get_participation(user: User, pk: int) -> Participation:
    """The participation if this user may see it; otherwise 404."""
    return get_object_or_404(
        Participation.objects.visible_to(user)
        .with_stage()
        .select_related("municipality", "cohort", "closed_by"),
        pk=pk,
    )


def _report_of(participation: Participation) -> FinalReport | None:
    return (
        FinalReport.objects.filter(participation=participation)
        .select_related("practice", "submitted_by", "decided_by")
        .first()
    )


def _results(participation: Participation, report: FinalReport | None) -> list[ActivityResult]:
    """The report's results; before it is started, the plan's activities as it would start."""
    if report is not None:
        return list(report.results.select_related("activity"))
    return [
        ActivityResult(activity=activity, is_done=activity.status == Activity.Status.DONE)
        for activity in Activity.objects.filter(plan__participation=participation)
    ]


def _figures(participation: Participation, report: FinalReport | None) -> dict[str, object]:
    # The figures need only the participation: an unsaved report reads them before it starts.
    reading = report or FinalReport(participation=participation)
    return {
        "indicators": reading.indicator_results(),
        "money": reading.money_by_line(),
    }


def report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The final report in its sections, with the figures, its state and the next steps."""
    participation = _get_participation(request.user, pk)
    final = _report_of(participation)
    return render(
        request,
        "closing/report.html",
        {
            "participation": participation,
            "report": final,
            "results": _results(participation, final),
            "missing": final.missing_answers() if final is not None else [],
            "return_form": ReturnForm(),
            **_figures(participation, final),
        },
    )


def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The answers, saved as a draft (the report starts, prefilled, on the first save)."""
    participation = _get_participation(request.user, pk)
    writing = rules.may_write_report(request.user, participation)
    refuse_forbidden(writing)
    final = _report_of(participation)
    results = _results(participation, final)
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        activities=[(result.activity, result.is_done, result.comment) for result in results],
        initial={"continuation": final.continuation, "lessons": final.lessons} if final else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            final = final or services.start_report(participation=participation, user=request.user)
            services.save_report(
                report=final,
                continuation=form.cleaned_data["continuation"],
                lessons=form.cleaned_data["lessons"],
                results=form.results(),
                user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The final report is saved as a draft."))
            if "check" in request.POST:
                return redirect("final_report_check", participation.pk)
            return redirect("final_report", participation.pk)
    return render(
        request,
        "closing/edit.html",
        {"participation": participation, "report": final, "form": form, "writing": writing},
    )


def check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Check your answers (GET), then the submission (POST)."""
    participation = _get_participation(request.user, pk)
    refuse_forbidden(rules.may_write_report(request.user, participation))
    final = _report_of(participation)
    if final is None:
        messages.info(request, _("Write the final report first."))
        return redirect("final_report_edit", participation.pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.submit_report(report=final, user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("final_report_submitted", participation.pk)
    return render(
        request,
        "closing/check.html",
        {
            "participation": participation,
            "report": final,
            "results": _results(participation, final),
            "missing": final.missing_answers(),
            "submitting": rules.may_submit_report(request.user, final),
            "errors": errors,
            **_figures(participation, final),
        },
    )


def submitted(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The confirmation: what happens next. A report not submitted is sent to its page."""
    participation = _get_participation(request.user, pk)
    final = _report_of(participation)
    if final is None or final.status != FinalReport.Status.SUBMITTED:
        return redirect("final_report", participation.pk)
    return render(
        request, "closing/submitted.html", {"participation": participation, "report": final}
    )


def decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """What approving and returning do (GET); the ministry's decision (POST). A refusal shows
    the page again with the comment as typed."""
    participation = _get_participation(request.user, pk)
    final = _report_of(participation) or FinalReport(participation=participation)
    deciding = rules.may_approve_report(request.user, final)
    refuse_forbidden(deciding)
    approving = "approve" in request.POST
    form = ReturnForm(request.POST if request.method == "POST" and not approving else None)
    errors: list[str] = []
    if request.method == "POST" and not deciding:
        errors = [str(deciding)]  # not now: there is no submitted report to decide
    elif request.method == "POST" and (approving or form.is_valid()):
        try:
            if approving:
                services.approve_report(report=final, user=request.user)
                messages.success(
                    request, _("The final report is approved: the last payment may be made.")
                )
            else:
                services.return_report(
                    report=final, comment=form.cleaned_data["comment"], user=request.user
                )
                messages.success(request, _("The final report was returned with your comment."))
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("final_report", participation.pk)
    return render(
        request,
        "closing/decide.html",
        {
            "participation": participation,
            "report": final,
            "deciding": deciding,
            "form": form,
            "errors": errors,
        },
    )


@require_POST
def start_practice(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A good-practice draft from the lessons; on to its page to finish it."""
    participation = _get_participation(request.user, pk)
    final = _report_of(participation)
    if final is None:
        refuse_forbidden(rules.may_write_report(request.user, participation))
        messages.error(request, _("Write the lessons first."))
        return redirect("final_report", participation.pk)
    refuse_forbidden(rules.may_start_practice(request.user, final))
    try:
        practice = services.start_practice(report=final, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("final_report", participation.pk)
    messages.success(
        request,
        _("A good-practice draft is started from your lessons: finish it and submit it."),
    )
    return redirect("practice_edit", practice.pk)


def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Are you sure (GET); the closing (POST). A refusal shows the page again with the reason."""
    participation = _get_participation(request.user, pk)
    closing = rules.may_close(request.user, participation)
    refuse_forbidden(closing)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.close_participation(participation=participation, user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The participation is closed: its pages are read-only."))
            return redirect("final_report", participation.pk)
    return render(
        request,
        "closing/close.html",
        {"participation": participation, "closing": closing, "errors": errors},
    )
