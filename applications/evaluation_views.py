import dataclasses
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest, programme_staff_required
from applications import evaluation, rules
from applications.evaluation_forms import (
    AssignForm,
    AssignManyForm,
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
from turvaportaal.lib.rules import Verdict, refuse_forbidden


def _call_applications(call: Call) -> QuerySet[Application]:
    return (
        Application.objects.filter(call=call)
        .submitted()
        .select_related("municipality__county")
        # What each row's evaluation waits for: an open request for more information.
        .prefetch_related("assignments__evaluator", "information_requests__municipality")
        # The primary key breaks ties so that the pages neither repeat nor skip a row.
        .order_by("municipality__name", "pk")
    )


def _hidden_results(user: Any, call: Call, results: Verdict) -> dict[str, Any] | None:
    """Why the call's results are hidden from this ministry member, and their own evaluations
    still to do there, each a link (applications.see_results); None if they may see them."""
    if results:
        return None
    to_do = (
        rules.evaluations_to_do(user, call)
        .select_related("application__municipality")
        .order_by("application__municipality__name")
    )
    return {"reason": str(results), "to_do": list(to_do)}


def _visible_scores(user: Any, application: Application) -> QuerySet[Score]:
    return (
        Score.objects.visible_to(user)
        .filter(assignment__application=application)
        .select_related("criterion", "assignment__evaluator")
        .order_by("criterion__order", "assignment__evaluator__full_name")
    )


@programme_staff_required
def evaluation_overview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _overview(request, get_object_or_404(Call, pk=pk))


def _overview(request: AuthenticatedRequest, call: Call, data: Any = None) -> HttpResponse:
    """The call's evaluation overview; ``data``: a bulk assignment refused, shown with its
    errors and its choices kept."""
    # A ministry member who evaluates in the call and has not finished meets the page without
    # the results: their duties here (evaluators, criteria) do not wait for their scoring.
    hidden = _hidden_results(request.user, call, rules.may_see_results(request.user, call))
    # An assign form per row is slow to build and render: only the rows of one page get them.
    listing = page_of(request, _call_applications(call))
    # The page links lead to the overview, from a refused bulk assignment's page too.
    overview = reverse("evaluation_overview", args=[call.pk])
    listing = dataclasses.replace(
        listing,
        previous_url=listing.previous_url and overview + listing.previous_url,
        next_url=listing.next_url and overview + listing.next_url,
    )
    applications = list(listing.page)
    evaluators = AssignForm.for_applications(applications)
    bulk = AssignManyForm(data, applications=_assignable(request.user, call), evaluators=evaluators)
    if data is not None:
        bulk.is_valid()
    items = evaluation.evaluations(call, applications)
    if hidden:
        items = [dataclasses.replace(item, result=None, disputed=[]) for item in items]
    rows = [
        (
            item,
            AssignForm(
                application=item.application,
                evaluators=evaluators,
                prefix=f"assign-{item.application.pk}",
            ),
        )
        for item in items
    ]
    return render(
        request,
        "applications/evaluation/overview.html",
        {
            "call": call,
            "criteria": call.criteria.all(),
            "rows": rows,
            "listing": listing,
            "hidden": hidden,
            "decided": SelectionDecision.objects.filter(application__call=call).exists(),
            "bulk": bulk,
            # The first box of a bulk assignment, where its error summary leads (none: no row
            # on this page takes evaluators, and the page offers no bulk assignment).
            "bulk_first": next(
                (
                    f"bulk-application-{item.application.pk}"
                    for item in items
                    if rules.may_assign(request.user, item.application)
                ),
                "",
            ),
            "bulk_chosen": bulk.chosen_ids(),
        },
    )


def _assignable(user: Any, call: Call) -> QuerySet[Application]:
    """The call's applications a bulk assignment may name: those of the overview."""
    return Application.objects.visible_to(user).filter(call=call).submitted()


@require_POST
@programme_staff_required
def assign_many(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Every chosen evaluator to every chosen application of the call, in one go; what was
    assigned and what not (and why) is shown after."""
    call = get_object_or_404(Call, pk=pk)
    form = AssignManyForm(request.POST, applications=_assignable(request.user, call), evaluators=[])
    if not form.is_valid():
        return _overview(request, call, request.POST)
    applications = list(form.cleaned_data["applications"])
    for application in applications:
        refuse_forbidden(rules.may_assign(request.user, application))
    outcomes = evaluation.assign_evaluators(
        applications=applications,
        evaluators=list(form.cleaned_data["evaluators"]),
        assigned_by=request.user,
    )
    made = sum(outcome.is_assigned for outcome in outcomes)
    return render(
        request,
        "applications/evaluation/assigned.html",
        {
            "call": call,
            "outcomes": outcomes,
            "made": made,
            "refused": len(outcomes) - made,
            "page": request.GET.get("page", "") if request.GET.get("page", "").isdigit() else "",
        },
    )


@programme_staff_required
def edit_criteria(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    verdict = rules.may_edit_criteria(request.user, call)
    refuse_forbidden(verdict)
    if not verdict:
        messages.error(request, str(verdict))
        return redirect("evaluation_overview", call.pk)
    data = request.POST if request.method == "POST" else None
    settings_form = CallEvaluationForm(data, instance=call)
    criteria = CriterionFormSet(data, instance=call, prefix="criteria")
    if data is not None and settings_form.is_valid() and criteria.is_valid():
        try:
            evaluation.save_criteria(
                call=call, settings_form=settings_form, criteria=criteria, user=request.user
            )
        except ValidationError as error:
            # Scoring started while the form was open.
            messages.error(request, " ".join(error.messages))
            return redirect("evaluation_overview", call.pk)
        messages.success(request, _("The evaluation criteria were saved."))
        return redirect("evaluation_overview", call.pk)
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
    refuse_forbidden(rules.may_assign(request.user, application))
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
        Application.objects.visible_to(request.user).select_related("call", "municipality"), pk=pk
    )
    agreeing = rules.may_agree(request.user, application)
    if request.method == "POST":
        refuse_forbidden(agreeing)
    results = rules.may_see_results(request.user, application.call)
    if hidden := _hidden_results(request.user, application.call, results):
        # Neither the scores nor which criteria are disputed: both tell what others gave.
        return render(
            request,
            "applications/evaluation/consensus.html",
            {"application": application, "hidden": hidden},
        )
    [item] = evaluation.evaluations(application.call, [application])
    form = ConsensusForm(request.POST or None, criteria=item.disputed)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation.record_consensus(
                application=application,
                criterion=form.cleaned_data["criterion"],
                outcome=form.cleaned_data["outcome"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
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
            "agreeing": agreeing,
            "scores": scores,
            "records": application.consensus_records.select_related("criterion", "recorded_by"),
        },
    )


def my_evaluations(request: AuthenticatedRequest) -> HttpResponse:
    assignments = (
        Assignment.objects.filter(evaluator=request.user)
        .select_related("application__municipality", "application__call")
        .prefetch_related("application__information_requests__municipality")
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
    # The answers are read only for the scoring form, beside each criterion.
    scoring = assignment.has_conflict is False and not assignment.submitted_at
    answers = evaluation.answers(application, criteria) if scoring else {}
    return render(
        request,
        "applications/evaluation/evaluate.html",
        {
            "assignment": assignment,
            "application": application,
            "conflict_form": conflict_form,
            "score_form": score_form,
            "score_rows": [
                (criterion, score, comment, answers.get(criterion.pk))
                for criterion, score, comment in score_form.rows()
            ],
            "scores": scores if assignment.has_conflict is False else [],
        },
    )


@programme_staff_required
def selection(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.prefetch_related("start_years"), pk=pk)
    confirming = rules.may_confirm_selection(request.user, call)
    if request.method == "POST":
        refuse_forbidden(confirming)
    decisions = SelectionDecision.objects.filter(application__call=call).select_related(
        "application__municipality"
    )
    if decisions:
        return render(
            request,
            "applications/evaluation/selection_confirmed.html",
            {"call": call, "decisions": decisions, **evaluation.county_map(call)},
        )
    results = rules.may_see_results(request.user, call)
    if hidden := _hidden_results(request.user, call, results):
        # The proposal ranks the applications by their results: none of it is shown.
        return render(
            request,
            "applications/evaluation/selection.html",
            {
                "call": call,
                "hidden": hidden,
                "places": {start.year: start.places for start in call.start_years.all()},
                "minimum_result": call.minimum_result,
                **evaluation.county_map(call),
            },
        )
    proposal, selection_rules, applications = evaluation.current_proposal(call)
    rows = [(applications[o.candidate.key], o.year) for o in proposal.outcomes]
    form = SelectionForm(request.POST or None, rows=rows, years=sorted(selection_rules.places))
    warnings: list[str] = []
    # The form is posted twice: first to the page that says what confirming it does (whom it
    # e-mails, who gets a participation), then from there, its fields hidden, to confirm it.
    if request.method == "POST" and form.is_valid() and "change" not in request.POST:
        chosen = {
            "call": call,
            "start_years": form.start_years(),
            "reasons": form.reasons(),
            "user": request.user,
            "accept_warnings": form.cleaned_data["accept_warnings"],
        }
        try:
            if "confirm" in request.POST:
                evaluation.confirm_selection(**chosen)
            else:
                checked = evaluation.check_selection(**chosen)
        except ValidationError as error:
            warnings = error.messages
        else:
            if "confirm" in request.POST:
                messages.success(request, _("The selection is confirmed; every applicant is told."))
                return redirect("selection", call.pk)
            return render(
                request,
                "applications/evaluation/selection_confirm.html",
                {"call": call, "form": form, "decided": checked.decided(form.reasons())},
            )
    outcomes = [
        (
            outcome,
            explain(outcome, selection_rules),
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
            "places": selection_rules.places,
            "minimum_result": selection_rules.minimum_result,
            "confirming": confirming,
            **evaluation.county_map(call),
        },
    )
