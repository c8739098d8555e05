from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest, programme_staff_required
from actionplans import services
from actionplans.forms import (
    ActivityFormSet,
    BodyFormSet,
    CatalogueIndicatorForm,
    CsvForm,
    GoalFormSet,
    MeasurementForm,
    NarrativeForm,
    OwnIndicatorForm,
    PlanIndicatorForm,
    PlanTextForm,
    ProblemForm,
    ReturnForm,
    RootCauseForm,
)
from actionplans.models import ActionPlan, Activity, Component, Indicator
from actionplans.progress import Point, chart, progress
from actionplans.services import MEASUREMENT_COLUMNS
from learning.models import SharingEvent, TrainingParticipant
from programme.models import Participation
from turvaportaal.lib.csvfile import read_csv
from turvaportaal.lib.ids import posted_id
from turvaportaal.lib.paging import page_of


def _get_visible_plan(user: Any, pk: int) -> ActionPlan:
    """The plan if this user may read it; otherwise 404."""
    return get_object_or_404(
        ActionPlan.objects.visible_to(user).select_related("participation__municipality__county"),
        pk=pk,
    )


def _get_own_plan(user: Any, pk: int) -> ActionPlan:
    """A plan of the user's own municipality: only its people change it."""
    plan = _get_visible_plan(user, pk)
    if plan.participation.municipality_id != user.municipality_id:
        raise PermissionDenied
    return plan


def _indicator_rows(plan: ActionPlan) -> list[dict[str, Any]]:
    rows = []
    for monitored in plan.indicators.select_related("indicator").prefetch_related("measurements"):
        points = [Point(m.measured_on, m.value) for m in monitored.measurements.all()]
        rows.append(
            {
                "monitored": monitored,
                "progress": progress(
                    monitored.baseline_value,
                    monitored.target_value,
                    points,
                    monitored.indicator.lower_is_better,
                ),
                "chart": chart(
                    Point(monitored.baseline_on, monitored.baseline_value),
                    Point(monitored.target_on, monitored.target_value),
                    points,
                ),
            }
        )
    return rows


def _delivered(user: Any, plan: ActionPlan) -> dict[str, Any]:
    """What the municipality has done towards the trainings and sharing components so far."""
    municipality = plan.participation.municipality
    trained = (
        TrainingParticipant.objects.visible_to(user)
        .attended()
        .filter(municipality=municipality)
        .totals()
    )
    events = SharingEvent.objects.visible_to(user).held(timezone.localdate())
    return {
        Component.TRAINING: trained,
        Component.SHARING: {
            "presented": events.filter(presenters=municipality).count(),
            "attended": events.filter(attendees=municipality).count(),
        },
    }


def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _get_visible_plan(request.user, pk)
    unmet = services.unmet_components(plan)
    delivered = _delivered(request.user, plan)
    statuses = Counter(plan.activities.values_list("status", flat=True))
    return render(
        request,
        "actionplans/detail.html",
        {
            "plan": plan,
            "is_own": plan.participation.municipality_id == request.user.municipality_id,
            "components": [
                (component, component not in unmet, delivered.get(component))
                for component in Component
            ],
            "unmet": unmet,
            "gaps": services.tree_gaps(plan),
            "activity_counts": [(s.label, statuses.get(s.value, 0)) for s in Activity.Status],
            "indicators": _indicator_rows(plan),
            "problems": plan.problems.prefetch_related("causes__activities"),
            "return_form": ReturnForm(),
            "overdue": plan.updates.overdue(),
        },
    )


def _save(request: AuthenticatedRequest, plan: ActionPlan, **parts: Any) -> bool:
    """Save a valid part; on any refusal keep what was typed, save nothing."""
    if not all(part.is_valid() for part in parts.values()):
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        return False
    try:
        services.save_plan_part(plan=plan, **parts)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, _("Saved."))
    return True


def edit_text(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _get_own_plan(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = PlanTextForm(data, instance=plan)
    bodies = BodyFormSet(data, instance=plan, prefix="bodies")
    if data is not None and _save(request, plan, form=form, formset=bodies):
        return redirect("plan_text", plan.pk)
    return render(request, "actionplans/text.html", {"plan": plan, "form": form, "bodies": bodies})


def edit_goals(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _get_own_plan(request.user, pk)
    data = request.POST if request.method == "POST" else None
    goals = GoalFormSet(data, instance=plan, prefix="goals")
    if data is not None and _save(request, plan, formset=goals):
        return redirect("plan_goals", plan.pk)
    return render(request, "actionplans/goals.html", {"plan": plan, "goals": goals})


def edit_problems(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Problems and their root causes: add one at a time, remove any."""
    plan = _get_own_plan(request.user, pk)
    problem_form = ProblemForm(request.POST if "add_problem" in request.POST else None)
    cause_form = RootCauseForm(request.POST if "add_cause" in request.POST else None, plan=plan)
    try:
        if problem_form.is_valid():
            services.add_problem(plan=plan, title=problem_form.cleaned_data["title"])
            return redirect("plan_problems", plan.pk)
        if cause_form.is_valid():
            services.save_plan_part(plan=plan, form=cause_form)
            return redirect("plan_problems", plan.pk)
        if "remove_problem" in request.POST or "remove_cause" in request.POST:
            services.remove_from_tree(
                plan=plan,
                problem_id=posted_id(request.POST.get("remove_problem")),
                cause_id=posted_id(request.POST.get("remove_cause")),
            )
            return redirect("plan_problems", plan.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return render(
        request,
        "actionplans/problems.html",
        {
            "plan": plan,
            "problems": plan.problems.prefetch_related("causes__activities"),
            "problem_form": problem_form,
            "cause_form": cause_form,
            "gaps": services.tree_gaps(plan),
        },
    )


def edit_activities(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _get_own_plan(request.user, pk)
    data = request.POST if request.method == "POST" else None
    activities = ActivityFormSet(
        data,
        instance=plan,
        queryset=plan.activities.prefetch_related("causes", "partners"),
        prefix="activities",
        form_kwargs={"plan": plan},
    )
    if data is not None and _save(request, plan, formset=activities):
        return redirect("plan_activities", plan.pk)
    return render(
        request,
        "actionplans/activities.html",
        {"plan": plan, "activities": activities, "unmet": services.unmet_components(plan)},
    )


def indicators(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _get_visible_plan(request.user, pk)
    is_own = plan.participation.municipality_id == request.user.municipality_id
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not is_own:
        raise PermissionDenied
    add_form = PlanIndicatorForm(request.POST if action == "add" else None, plan=plan)
    measurement_form = MeasurementForm(request.POST if action == "measure" else None, plan=plan)
    own_form = OwnIndicatorForm(request.POST if action == "own" else None)
    csv_form = CsvForm(
        request.POST if action == "import" else None,
        request.FILES if action == "import" else None,
    )
    report = None
    try:
        if add_form.is_valid():
            services.save_plan_part(plan=plan, form=add_form)
            return redirect("plan_indicators", plan.pk)
        if measurement_form.is_valid():
            services.save_plan_part(plan=plan, form=measurement_form)
            return redirect("plan_indicators", plan.pk)
        if own_form.is_valid():
            own_form.instance.municipality_id = plan.participation.municipality_id
            own_form.save()
            messages.success(request, _("Your indicator was added to the list."))
            return redirect("plan_indicators", plan.pk)
        if csv_form.is_valid():
            report = services.import_measurements(
                plan=plan, rows=read_csv(csv_form.cleaned_data["file"], MEASUREMENT_COLUMNS)
            )
            if all(not row.refused for row in report):
                messages.success(request, _("All rows were imported."))
            else:
                messages.error(request, _("Nothing was imported: correct the refused rows."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if action and not report:
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(
        request,
        "actionplans/indicators.html",
        {
            "plan": plan,
            "is_own": is_own,
            "rows": _indicator_rows(plan),
            "add_form": add_form,
            "measurement_form": measurement_form,
            "own_form": own_form,
            "csv_form": csv_form,
            "report": report,
        },
    )


@require_POST
def submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _get_own_plan(request.user, pk)
    try:
        services.submit_plan(plan=plan, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The plan was sent to the ministry for approval."))
    return redirect("plan_detail", plan.pk)


@require_POST
@programme_staff_required
def decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The ministry approves the submitted plan or returns it with comments."""
    plan = _get_visible_plan(request.user, pk)
    try:
        if "approve" in request.POST:
            services.approve_plan(plan=plan, user=request.user)
            messages.success(request, _("The plan is approved."))
        else:
            form = ReturnForm(request.POST)
            comment = form.data.get("comment", "")
            services.return_plan(plan=plan, comment=comment, user=request.user)
            messages.success(request, _("The plan was returned with your comments."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("plan_detail", plan.pk)


def revisions(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _get_visible_plan(request.user, pk)
    kept = list(plan.revisions.select_related("approved_by"))
    diff, older, newer = [], None, None
    numbers = {revision.number: revision for revision in kept}
    try:
        older = numbers.get(int(request.GET.get("from", "")))
        newer = numbers.get(int(request.GET.get("to", "")))
    except ValueError:
        pass
    if older and newer:
        diff = services.revision_diff(older.content, newer.content)
    return render(
        request,
        "actionplans/revisions.html",
        {"plan": plan, "revisions": kept, "diff": diff, "older": older, "newer": newer},
    )


def updates(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _get_visible_plan(request.user, pk)
    is_own = plan.participation.municipality_id == request.user.municipality_id
    form = NarrativeForm(request.POST or None)
    if request.method == "POST":
        if not is_own:
            raise PermissionDenied
        update = get_object_or_404(plan.updates, pk=posted_id(request.POST.get("update")))
        if form.is_valid():
            services.submit_update(
                update=update, narrative=form.cleaned_data["narrative"], user=request.user
            )
            messages.success(request, _("The quarterly update was sent."))
            return redirect("plan_updates", plan.pk)
    return render(
        request,
        "actionplans/updates.html",
        {"plan": plan, "updates": plan.updates.all(), "form": form, "is_own": is_own},
    )


def my_plan(request: AuthenticatedRequest) -> HttpResponse:
    """A municipality's way to its plan: opened on the first visit after joining."""
    if request.user.municipality_id is None:
        raise PermissionDenied
    participation = get_object_or_404(
        Participation.objects.visible_to(request.user).filter(
            municipality_id=request.user.municipality_id
        )
    )
    if request.method == "POST":
        return redirect("plan_detail", services.start_plan(participation=participation).pk)
    existing = ActionPlan.objects.filter(participation=participation).first()
    if existing:
        return redirect("plan_detail", existing.pk)
    return render(request, "actionplans/start.html", {"participation": participation})


@programme_staff_required
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    plans = (
        ActionPlan.objects.visible_to(request.user)
        .select_related("participation__municipality__county", "participation__cohort")
        .order_by("participation__municipality__name", "pk")  # a page needs a stable order
    )
    return render(request, "actionplans/list.html", {"listing": page_of(request, plans)})


@programme_staff_required
def catalogue(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    """The indicator catalogue, which ministry staff keep."""
    indicator = get_object_or_404(Indicator, pk=pk, municipality__isnull=True) if pk else None
    form = CatalogueIndicatorForm(request.POST or None, instance=indicator)
    if indicator and request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The indicator was saved."))
        return redirect("indicator_catalogue")
    return render(
        request,
        "actionplans/catalogue.html",
        {
            "indicators": Indicator.objects.filter(municipality__isnull=True),
            "indicator": indicator,
            "form": form,
        },
    )
