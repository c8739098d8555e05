from datetime import date

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionPlan, ProgressUpdate
from notifications.services import (
    REMIND_WITHIN,
    ministry_staff,
    municipality_people,
    remind_of_deadline,
)


@shared_task
def remind_progress_updates() -> dict[str, int]:
    """Daily: the municipality is told a week, and a day, before a quarterly update is due;
    the updates whose due date has passed unsent are marked."""
    today = timezone.localdate()
    due_soon = ProgressUpdate.objects.due(today, REMIND_WITHIN).select_related(
        "plan__participation__municipality"
    )
    reminded = 0
    for update in due_soon:
        told = remind_of_deadline(
            about=update,
            deadline=update.due_on,
            recipients=municipality_people(update.plan.participation.municipality),
            link=reverse("plan_updates", args=[update.plan_id]),
        )
        if told:
            ProgressUpdate.objects.filter(pk=update.pk).update(reminded_at=timezone.now())
            reminded += 1
    overdue = ProgressUpdate.objects.overdue(today).filter(marked_overdue_at__isnull=True)
    marked = overdue.update(marked_overdue_at=timezone.now())
    return {"reminded": reminded, "marked_overdue": marked}


@shared_task
def remind_plan_years() -> dict[str, int]:
    """Daily: next year's plan is approved before the year starts. A week, and a day, before
    the first of January, the municipality is told while the plan is not submitted for it, and
    the ministry while it waits for the decision."""
    today = timezone.localdate()
    next_year = today.year + 1
    plans = (
        ActionPlan.objects.filter(
            participation__closed_at__isnull=True,
            participation__start_on__lt=date(next_year, 1, 1),
            participation__end_on__gte=date(next_year, 1, 1),
        )
        .exclude(revisions__year=next_year)
        .select_related("participation__municipality")
    )
    reminded = 0
    for plan in plans:
        waiting = plan.status == ActionPlan.Status.SUBMITTED and plan.submitted_year == next_year
        told = remind_of_deadline(
            about=plan,
            deadline=date(next_year, 1, 1),
            recipients=(
                ministry_staff()
                if waiting
                else municipality_people(plan.participation.municipality)
            ),
            link=reverse("plan_detail", args=[plan.pk]),
        )
        reminded += bool(told)
    return {"reminded": reminded}
