from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest, programme_staff_required
from applications import evaluation
from applications.evaluation_forms import (
    AssignForm,
    CallEvaluationForm,
    ConflictForm,
    ConsensusForm,
    CriterionFormSet,
    ScoreForm,
    SelectionForm,
)
from applications.models import Application, Assignment, Score, SelectionDecision
from programme.models import Call
from programme.selection import explain
from turvaportaal.lib.paging import page_of


def _call_applications(call: Call) -> QuerySet[Application]:
    return (
        Application.objects.filter(call=call)
        .submitted()
        .select_related("municipality__county")
        .prefetch_related("assignments__evaluator")
        # The primary key breaks ties so that the pages neither repeat nor skip a row.
        .order_by("municipality__name", "pk")
    )


def _refuse_unfinished_evaluator(user: Any, call: Call) -> None:
    """Results are not for an evaluator of the call who has a conflict or has not yet scored:
    scoring stays independent."""
    if (
        Assignment.objects.filter(evaluator=user, application__call=call)
        .exclude(has_conflict=False, submitted_at__isnull=False)
        .exists()
    ):
        raise PermissionDenied(_("Finish your own evaluations of this call first."))


def _visible_scores(user: Any, application: Application) -> QuerySet[Score]:
    return (
        Score.objects.visible_to(user)
        .filter(assignment__application=application)
        .select_related("criterion", "assignment__evaluator")
        .order_by("criterion__order", "assignment__evaluator__full_name")
    )


@programme_staff_required
def evaluation_overview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    _refuse_unfinished_evaluator(request.user, call)
    # An assign form per row is slow to build and render: only the rows of one page get them.
    listing = page_of(request, _call_applications(call))
    applications = list(listing.page)
    evaluators = AssignForm.for_applications(applications)
    rows = [
        (
            item,
            AssignForm(
                application=item.application,
                evaluators=evaluators,
                prefix=f"assign-{item.application.pk}",
            ),
        )
        for item in evaluation.evaluations(call, applications)
    ]
    return render(
        request,
        "applications/evaluation/overview.html",
        {
            "call": call,
            "criteria": call.criteria.all(),
            "rows": rows,
            "listing": listing,
            "scoring_started": evaluation.scoring_has_started(call),
            "decided": SelectionDecision.objects.filter(application__call=call).exists(),
        },
    )


@programme_staff_required
def edit_criteria(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    if evaluation.scoring_has_started(call):
        messages.error(request, _("Scoring has started; the criteria can no longer change."))
        return redirect("evaluation_overview", call.pk)
    data = request.POST if request.method == "POST" else None
    settings_form = CallEvaluationForm(data, instance=call)
    criteria = CriterionFormSet(data, instance=call, prefix="criteria")
    if data is not None:
        if settings_form.is_valid() and criteria.is_valid():
            with transaction.atomic():
                settings_form.save()
                criteria.save()
            messages.success(request, _("The evaluation criteria were saved."))
            return redirect("evaluation_overview", call.pk)
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(
        request,
        "applications/evaluation/criteria.html",
        {"call": call, "settings_form": settings_form, "criteria": criteria},
    )


@require_POST
@programme_staff_required
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )
    form = AssignForm(request.POST, application=application, prefix=f"assign-{application.pk}")
    if form.is_valid():
        try:
            evaluation.assign_evaluator(
                application=application,
                evaluator=form.cleaned_data["evaluator"],
                assigned_by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The evaluator was assigned."))
    else:
        messages.error(request, _("Choose an evaluator from the list."))
    overview = reverse("evaluation_overview", args=[application.call_id])
    # Back to the page of the overview the form was on.
    page = request.GET.get("page", "")
    return redirect(f"{overview}?page={page}" if page.isdigit() else overview)


@programme_staff_required
def consensus(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("call"), pk=pk
    )
    _refuse_unfinished_evaluator(request.user, application.call)
    [item] = evaluation.evaluations(application.call, [application])
    form = ConsensusForm(request.POST or None, criteria=item.disputed)
    if request.method == "POST" and form.is_valid():
        evaluation.record_consensus(
            application=application,
            criterion=form.cleaned_data["criterion"],
            outcome=form.cleaned_data["outcome"],
            user=request.user,
        )
        messages.success(request, _("The outcome of the discussion was recorded."))
        return redirect("consensus", application.pk)
    scores = _visible_scores(request.user, application)
    return render(
        request,
        "applications/evaluation/consensus.html",
        {
            "application": application,
            "item": item,
            "form": form,
            "scores": scores,
            "records": application.consensus_records.select_related("criterion", "recorded_by"),
        },
    )


def my_evaluations(request: AuthenticatedRequest) -> HttpResponse:
    assignments = Assignment.objects.filter(evaluator=request.user).select_related(
        "application__municipality", "application__call"
    )
    return render(request, "applications/evaluation/mine.html", {"assignments": assignments})


def evaluate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An evaluator's page for one application: declare a conflict, then score it."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("application__call", "application__municipality"),
        pk=pk,
        evaluator=request.user,
    )
    application = assignment.application
    criteria = list(application.call.criteria.all())
    conflict_form = ConflictForm(request.POST if "declare" in request.POST else None)
    score_form = ScoreForm(request.POST if "score" in request.POST else None, criteria=criteria)
    try:
        if conflict_form.is_valid():
            evaluation.declare_conflict(
                assignment=assignment,
                has_conflict=conflict_form.cleaned_data["has_conflict"],
                user=request.user,
            )
            return redirect("evaluate", assignment.pk)
        if score_form.is_valid():
            evaluation.submit_scores(
                assignment=assignment, scores=score_form.scores(), user=request.user
            )
            messages.success(request, _("Your scores were submitted."))
            return redirect("evaluate", assignment.pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    assignment.refresh_from_db()
    scores = _visible_scores(request.user, application)
    return render(
        request,
        "applications/evaluation/evaluate.html",
        {
            "assignment": assignment,
            "application": application,
            "conflict_form": conflict_form,
            "score_form": score_form,
            "scores": scores if assignment.has_conflict is False else [],
        },
    )


@programme_staff_required
def selection(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.prefetch_related("start_years"), pk=pk)
    _refuse_unfinished_evaluator(request.user, call)
    decisions = SelectionDecision.objects.filter(application__call=call).select_related(
        "application__municipality"
    )
    if decisions:
        return render(
            request,
            "applications/evaluation/selection_confirmed.html",
            {"call": call, "decisions": decisions, **evaluation.county_map(call)},
        )
    proposal, rules, applications = evaluation.current_proposal(call)
    rows = [(applications[o.candidate.key], o.year) for o in proposal.outcomes]
    form = SelectionForm(request.POST or None, rows=rows, years=sorted(rules.places))
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            evaluation.confirm_selection(
                call=call,
                start_years=form.start_years(),
                reasons=form.reasons(),
                user=request.user,
                accept_warnings=form.cleaned_data["accept_warnings"],
            )
        except ValidationError as error:
            warnings = error.messages
        else:
            messages.success(request, _("The selection is confirmed; every applicant is told."))
            return redirect("selection", call.pk)
    outcomes = [
        (
            outcome,
            explain(outcome, rules),
            form[f"year_{outcome.candidate.key}"],
            form[f"reason_{outcome.candidate.key}"],
        )
        for outcome in proposal.outcomes
    ]
    return render(
        request,
        "applications/evaluation/selection.html",
        {
            "call": call,
            "proposal": proposal,
            "outcomes": outcomes,
            "form": form,
            "warnings": warnings,
            "rules": rules,
            **evaluation.county_map(call),
        },
    )
