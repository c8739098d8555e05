from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ProgressUpdate
from notifications.services import REMIND_WITHIN, municipality_people, remind_of_deadline


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
