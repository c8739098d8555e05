from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import AuthenticatedRequest, programme_staff_required
from actionplans import rules, services
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
    TargetsForm,
)
from actionplans.models import ActionPlan, Activity, Component, Indicator
from actionplans.progress import Point, chart, progress
from actionplans.services import MEASUREMENT_COLUMNS
from learning.models import SharingEvent, TrainingParticipant
from programme.models import Participation
from turvaportaal.lib.csvfile import read_csv
from turvaportaal.lib.ids import posted_id
from turvaportaal.lib.paging import page_of
from turvaportaal.lib.rules import Verdict, refuse_forbidden


def _get_visible_plan(user: Any, pk: int) -> ActionPlan:
    """The plan if this user may read it; otherwise 404."""
    return get_object_or_404(
        ActionPlan.objects.visible_to(user).select_related("participation__municipality__county"),
        pk=pk,
    )


def _editing(request: AuthenticatedRequest, plan: ActionPlan) -> Verdict:
    """Whether the person may change the plan's content now. Everyone who may see the plan
    opens each part of it; who may not change it reads it with the reason. A POST by someone
    who may never change it is 403 with the reason; one the plan's state refuses comes back as
    it was typed, with the reason beside the form."""
    verdict = rules.may_edit(request.user, plan)
    if request.method == "POST":
        refuse_forbidden(verdict)
    return verdict


def _part(request: AuthenticatedRequest, plan: ActionPlan, editing: Verdict) -> dict[str, Any]:
    """What every part's page has: the plan, the verdict, and whether the form is shown (to who
    may change the plan, and back to who posted it)."""
    return {
        "plan": plan,
        "editing": editing,
        "form_shown": bool(editing) or request.method == "POST",
    }


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
            "components": [
                (component, component not in unmet, delivered.get(component))
                for component in Component
            ],
            "unmet": unmet,
            "gaps": services.tree_gaps(plan),
            "activity_counts": [(s.label, statuses.get(s.value, 0)) for s in Activity.Status],
            "indicators": _indicator_rows(plan),
            "problems": plan.problems.prefetch_related("causes__activities"),
            "overdue": plan.updates.overdue(),
            "years": services.plan_years(plan),
            "year_to_submit": services.year_to_submit(plan),
            "years_approved": plan.revisions.approved_years(),
        },
    )


def _save(request: AuthenticatedRequest, plan: ActionPlan, editing: Verdict, **parts: Any) -> bool:
    """Save a valid part; on any refusal keep what was typed, save nothing. A refusal of the
    plan's state is shown beside the form already (the page's verdict)."""
    if not editing:
        return False
    if not all(part.is_valid() for part in parts.values()):
        return False
    try:
        services.save_plan_part(plan=plan, user=request.user, **parts)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, _("Saved."))
    return True


def edit_text(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _get_visible_plan(request.user, pk)
    editing = _editing(request, plan)
    data = request.POST if request.method == "POST" else None
    form = PlanTextForm(data, instance=plan)
    bodies = BodyFormSet(data, instance=plan, prefix="bodies")
    if data is not None and _save(request, plan, editing, form=form, formset=bodies):
        return redirect("plan_text", plan.pk)
    return render(
        request,
        "actionplans/text.html",
        _part(request, plan, editing) | {"form": form, "bodies": bodies},
    )


def edit_goals(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _get_visible_plan(request.user, pk)
    editing = _editing(request, plan)
    data = request.POST if request.method == "POST" else None
    goals = GoalFormSet(data, instance=plan, prefix="goals")
    if data is not None and _save(request, plan, editing, formset=goals):
        return redirect("plan_goals", plan.pk)
    return render(
        request, "actionplans/goals.html", _part(request, plan, editing) | {"goals": goals}
    )


def targets(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Each monitored indicator's target for the end of each calendar year: each year's plan
    holds its own."""
    plan = _get_visible_plan(request.user, pk)
    editing = _editing(request, plan)
    form = TargetsForm(request.POST if request.method == "POST" else None, plan=plan)
    if editing and request.method == "POST" and form.is_valid():
        try:
            services.save_targets(plan=plan, user=request.user, targets=form.targets())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("plan_targets", plan.pk)
    return render(
        request, "actionplans/targets.html", _part(request, plan, editing) | {"form": form}
    )


def edit_problems(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Problems and their root causes: add one at a time, remove any."""
    plan = _get_visible_plan(request.user, pk)
    editing = _editing(request, plan)
    problem_form = ProblemForm(request.POST if "add_problem" in request.POST else None)
    cause_form = RootCauseForm(request.POST if "add_cause" in request.POST else None, plan=plan)
    try:
        if editing and problem_form.is_valid():
            services.add_problem(
                plan=plan, user=request.user, title=problem_form.cleaned_data["title"]
            )
            return redirect("plan_problems", plan.pk)
        if editing and cause_form.is_valid():
            services.save_plan_part(plan=plan, user=request.user, form=cause_form)
            return redirect("plan_problems", plan.pk)
        if editing and ("remove_problem" in request.POST or "remove_cause" in request.POST):
            services.remove_from_tree(
                plan=plan,
                user=request.user,
                problem_id=posted_id(request.POST.get("remove_problem")),
                cause_id=posted_id(request.POST.get("remove_cause")),
            )
            return redirect("plan_problems", plan.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return render(
        request,
        "actionplans/problems.html",
        _part(request, plan, editing)
        | {
            "problems": plan.problems.prefetch_related("causes__activities"),
            "problem_form": problem_form,
            "cause_form": cause_form,
            "gaps": services.tree_gaps(plan),
        },
    )


def edit_activities(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _get_visible_plan(request.user, pk)
    editing = _editing(request, plan)
    data = request.POST if request.method == "POST" else None
    listed = plan.activities.select_related("goal").prefetch_related("causes", "partners")
    activities = ActivityFormSet(
        data,
        instance=plan,
        queryset=listed,
        prefix="activities",
        form_kwargs={"plan": plan},
    )
    if data is not None and _save(request, plan, editing, formset=activities):
        return redirect("plan_activities", plan.pk)
    return render(
        request,
        "actionplans/activities.html",
        _part(request, plan, editing)
        | {
            "activities": activities,
            "listed": listed,
            "unmet": services.unmet_components(plan),
        },
    )


# The forms of the indicators page: the action each posts, and the rule that allows it.
INDICATOR_ACTIONS = {
    "add": rules.may_edit,
    "measure": rules.may_record_measurement,
    "import": rules.may_record_measurement,
    "own": rules.may_define_indicator,
}


def indicators(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The monitored indicators with their progress, and a form for each change the person may
    make: monitor an indicator (the plan's content), record measurements (one or a CSV file),
    define an indicator of the municipality's own."""
    user = request.user
    plan = _get_visible_plan(user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    verdicts = {name: predicate(user, plan) for name, predicate in INDICATOR_ACTIONS.items()}
    if action in verdicts:
        refuse_forbidden(verdicts[action])
    else:
        action = None
    posted = verdicts.get(action or "")  # the posted form's verdict: its refusal shown beside it
    add_form = PlanIndicatorForm(request.POST if action == "add" else None, plan=plan)
    measurement_form = MeasurementForm(request.POST if action == "measure" else None, plan=plan)
    own_form = OwnIndicatorForm(request.POST if action == "own" else None)
    csv_form = CsvForm(
        request.POST if action == "import" else None,
        request.FILES if action == "import" else None,
    )
    report = None
    try:
        if posted and add_form.is_valid():
            services.save_plan_part(plan=plan, user=user, form=add_form)
            return redirect("plan_indicators", plan.pk)
        if posted and measurement_form.is_valid():
            services.record_measurement(plan=plan, user=user, form=measurement_form)
            return redirect("plan_indicators", plan.pk)
        if posted and own_form.is_valid():
            services.define_indicator(plan=plan, user=user, form=own_form)
            messages.success(request, _("Your indicator was added to the list."))
            return redirect("plan_indicators", plan.pk)
        if posted and csv_form.is_valid():
            report = services.import_measurements(
                plan=plan,
                user=user,
                rows=read_csv(csv_form.cleaned_data["file"], MEASUREMENT_COLUMNS),
            )
            if all(not row.refused for row in report):
                messages.success(request, _("All rows were imported."))
            else:
                messages.error(request, _("Nothing was imported: correct the refused rows."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return render(
        request,
        "actionplans/indicators.html",
        {
            "plan": plan,
            "verdicts": verdicts,
            # The reason the person cannot change the plan; or what the plan's state refuses.
            "editing": verdicts["add"],
            "posted": action,
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
    plan = _get_visible_plan(request.user, pk)
    refuse_forbidden(rules.may_submit(request.user, plan))
    try:
        # The button names the year whose plan is submitted; without one, a change.
        services.submit_plan(plan=plan, user=request.user, year=posted_id(request.POST.get("year")))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The plan was sent to the ministry for approval."))
    return redirect("plan_detail", plan.pk)


@require_POST
def reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The municipality starts the next revision of its approved plan."""
    plan = _get_visible_plan(request.user, pk)
    refuse_forbidden(rules.may_reopen(request.user, plan))
    try:
        services.reopen_plan(plan=plan, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The next revision is started: change the plan and submit it again.")
        )
    return redirect("plan_detail", plan.pk)


@require_http_methods(["GET", "POST"])
def decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Are you sure: what approving and what returning the submitted plan does (GET); the
    ministry's decision (POST). A refusal shows the page again with the comments as typed."""
    plan = _get_visible_plan(request.user, pk)
    deciding = rules.may_decide(request.user, plan)
    refuse_forbidden(deciding)
    approving = "approve" in request.POST
    form = ReturnForm(request.POST if request.method == "POST" and not approving else None)
    errors: list[str] = []
    if request.method == "POST" and (approving or form.is_valid()):
        try:
            if approving:
                revision = services.approve_plan(plan=plan, user=request.user)
                messages.success(
                    request,
                    _("The plan is approved and kept as revision %(number)s.")
                    % {"number": revision.number},
                )
            else:
                services.return_plan(
                    plan=plan, comment=form.cleaned_data["comment"], user=request.user
                )
                messages.success(request, _("The plan was returned with your comments."))
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("plan_detail", plan.pk)
    return render(
        request,
        "actionplans/decide.html",
        {
            "plan": plan,
            "deciding": deciding,
            "form": form,
            "errors": errors,
            "revision_number": services.next_revision_number(plan),
        },
    )


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
    """The quarterly updates with where each stands and the ministry's comment; the municipality
    sends each, and sends a returned one again, corrected."""
    plan = _get_visible_plan(request.user, pk)
    form = NarrativeForm(request.POST or None)
    posted = None
    if request.method == "POST":
        posted = get_object_or_404(plan.updates, pk=posted_id(request.POST.get("update")))
        refuse_forbidden(rules.may_submit_update(request.user, posted))
        if form.is_valid():
            try:
                services.submit_update(
                    update=posted, narrative=form.cleaned_data["narrative"], user=request.user
                )
            except ValidationError as error:  # sent meanwhile: the row shows what was sent
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The quarterly update was sent."))
                return redirect("plan_updates", plan.pk)
    # Each row says whether more information is requested about it (inquiries).
    listed = list(
        plan.updates.select_related("reviewed_by").prefetch_related(
            "information_requests__municipality"
        )
    )
    # Why a reader sees no form: the refusal of the first update, which holds for all of them.
    refusals = [rules.may_submit_update(request.user, update) for update in listed[:1]]
    return render(
        request,
        "actionplans/updates.html",
        {
            "plan": plan,
            "updates": listed,
            "form": form,
            "posted": posted,
            "posted_errors": [error for errors in form.errors.values() for error in errors]
            if posted
            else [],
            "forbidden": next((str(v) for v in refusals if v.forbidden), ""),
        },
    )


@require_http_methods(["GET", "POST"])
def review_update(request: AuthenticatedRequest, pk: int, update_pk: int) -> HttpResponse:
    """Are you sure: the update as sent, and what accepting and returning it do (GET); the
    ministry's review (POST). A refusal shows the page again with the comment as typed."""
    plan = _get_visible_plan(request.user, pk)
    update = get_object_or_404(plan.updates.select_related("submitted_by"), pk=update_pk)
    reviewing = rules.may_accept_update(request.user, update)
    refuse_forbidden(reviewing)
    accepting = "accept" in request.POST
    form = ReturnForm(request.POST if request.method == "POST" and not accepting else None)
    errors: list[str] = []
    if request.method == "POST" and (accepting or form.is_valid()):
        try:
            if accepting:
                services.accept_update(update=update, user=request.user)
                messages.success(request, _("The quarterly update is accepted."))
            else:
                services.return_update(
                    update=update, comment=form.cleaned_data["comment"], user=request.user
                )
                messages.success(request, _("The quarterly update was returned with your comment."))
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect(reverse("plan_updates", args=[plan.pk]) + f"#update-{update.pk}")
    return render(
        request,
        "actionplans/review_update.html",
        {"plan": plan, "update": update, "reviewing": reviewing, "form": form, "errors": errors},
    )


def my_plan(request: AuthenticatedRequest) -> HttpResponse:
    """A municipality's way to its plan: opened on the first visit after joining."""
    user = request.user
    participation = None
    if user.municipality_id is not None:
        participation = get_object_or_404(
            Participation.objects.visible_to(user).filter(municipality_id=user.municipality_id)
        )
        existing = ActionPlan.objects.filter(participation=participation).first()
        if existing:
            return redirect("plan_detail", existing.pk)
    # Only a participating municipality's own people have a plan to start: the others get 403.
    refuse_forbidden(rules.may_start(user, participation))
    if request.method == "POST" and participation is not None:
        try:
            plan = services.start_plan(participation=participation, user=user)
        except ValidationError:  # started meanwhile, by a colleague or a second click
            plan = ActionPlan.objects.get(participation=participation)
        return redirect("plan_detail", plan.pk)
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
    """The indicator catalogue, which ministry staff keep (its pages are theirs alone)."""
    indicator = get_object_or_404(Indicator, pk=pk, municipality__isnull=True) if pk else None
    form = CatalogueIndicatorForm(request.POST or None, instance=indicator)
    if indicator and request.method == "POST":
        refuse_forbidden(rules.may_edit_catalogue(request.user, indicator))
        if form.is_valid():
            services.save_catalogue_indicator(form=form, user=request.user)
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
