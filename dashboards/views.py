"""Each role's start page: what exists for that person, read from every app."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst

from accounts.access import AuthenticatedRequest
from accounts.models import Role, User
from applications.evaluation import county_map
from applications.models import Application
from counselling.models import CounsellingSession, NextStep
from dashboards import queues
from evaluation.summary import programme_counts, summary
from learning.models import SharingEvent, Training, TrainingParticipant
from programme.models import Call, County, Municipality, Participation, ServiceProvider
from turvaportaal.lib.charts import row_chart
from turvaportaal.lib.paging import page_of

OVERDUE_STEPS_SHOWN = 10
UPCOMING_TRAININGS_SHOWN = 3


def _counselling(user: User) -> dict[str, Any]:
    """Counselling at a glance for whoever may see it: totals and the first overdue steps."""
    overdue = (
        NextStep.objects.visible_to(user)
        .overdue(timezone.localdate())
        .select_related("session__participation__municipality")
    )
    return {
        "counselling": CounsellingSession.objects.visible_to(user).summary(),
        "overdue_steps": overdue[:OVERDUE_STEPS_SHOWN],
    }


def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.has_programme_wide_access:
        return _programme_dashboard(request, user)
    if user.role == Role.MUNICIPALITY:
        return _municipality_dashboard(request, user)
    if user.role == Role.COUNTY_EVALUATOR:
        return render(request, "dashboards/evaluator.html", {"queue": queues.evaluator_queue(user)})
    return _provider_dashboard(request, user)


@login_not_required
def programme_overview(request: HttpRequest) -> HttpResponse:
    """The public page of the programme: who takes part, by cohort, and the county map."""
    participations = Participation.objects.select_related("municipality__county", "cohort")
    return render(
        request,
        "dashboards/overview.html",
        {"listing": page_of(request, participations), **county_map(name_applicants=False)},
    )


def _programme_dashboard(request: AuthenticatedRequest, user: User) -> HttpResponse:
    counts = dict(
        User.objects.visible_to(user)
        .filter(is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    users_by_role = [(role.label, counts.get(role.value, 0)) for role in Role]
    # Counties and their municipalities are public reference data.
    counties = County.objects.annotate(
        municipality_count=Count("municipalities"),
        city_count=Count("municipalities", filter=Q(municipalities__kind=Municipality.Kind.CITY)),
    )
    return render(
        request,
        "dashboards/programme.html",
        {
            "queue": queues.ministry_queue(user),
            "users_by_role": users_by_role,
            "counties": counties,
            "municipality_count": sum(county.municipality_count for county in counties),
            "providers": ServiceProvider.objects.visible_to(user).annotate(
                user_count=Count("users")
            ),
            "open_calls": Call.objects.open().annotate(
                submitted_count=Count(
                    "applications", filter=Q(applications__in=Application.objects.submitted())
                ),
                application_count=Count("applications"),
            ),
            **_counselling(user),
            # Is the programme working? Official statistics, participants against the rest.
            "evaluation": summary(),
            "counts": programme_counts(),
        },
    )


def _municipality_dashboard(request: AuthenticatedRequest, user: User) -> HttpResponse:
    municipality = Municipality.objects.visible_to(user).select_related("county").get()
    applications = Application.objects.visible_to(user).select_related("call")
    applied_calls = {application.call_id for application in applications}
    return render(
        request,
        "dashboards/municipality.html",
        {
            "queue": queues.municipality_queue(user),
            "municipality": municipality,
            "people": User.objects.visible_to(user).filter(is_active=True),
            "applications": applications,
            "participation": Participation.objects.visible_to(user)
            .select_related("cohort")
            .first(),
            "calls_to_apply": [
                call
                for call in Call.objects.open().prefetch_related("start_years")
                if call.pk not in applied_calls
            ],
            **_counselling(user),
            **_learning(user, municipality),
        },
    )


def _learning(user: User, municipality: Municipality) -> dict[str, Any]:
    """The municipality's trainings attended by type, the next trainings, its sharing events."""
    today = timezone.localdate()
    trained = (
        TrainingParticipant.objects.visible_to(user)
        .attended()
        .filter(municipality=municipality)
        .summary_by_type()
    )
    return {
        "trained": trained,
        "trained_chart": row_chart([(capfirst(row.label), row.people) for row in trained]),
        "upcoming_trainings": Training.objects.visible_to(user).upcoming(today)[
            :UPCOMING_TRAININGS_SHOWN
        ],
        "sharing_events": SharingEvent.objects.visible_to(user)
        .involving(municipality)
        .held(today)
        .count(),
    }


def _provider_dashboard(request: AuthenticatedRequest, user: User) -> HttpResponse:
    provider = ServiceProvider.objects.visible_to(user).get()
    return render(
        request,
        "dashboards/provider.html",
        {
            "queue": queues.provider_queue(user),
            "provider": provider,
            "people": User.objects.visible_to(user).filter(is_active=True),
            "municipalities": Municipality.objects.visible_to(user).select_related(
                "county", "participation__action_plan"
            ),
            **_counselling(user),
        },
    )
