from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from actionplans.models import ProgressUpdate

REMIND_BEFORE = timedelta(days=14)


@shared_task
def remind_progress_updates() -> dict[str, int]:
    """Daily: e-mail the municipality two weeks before a quarterly update is due, and mark the
    updates whose due date has passed unsent."""
    today = timezone.localdate()
    due_soon = ProgressUpdate.objects.filter(
        submitted_at__isnull=True,
        reminded_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + REMIND_BEFORE,
    ).select_related("plan__participation__municipality")
    reminded = 0
    for update in due_soon:
        municipality = update.plan.participation.municipality
        for person in municipality.users.filter(is_active=True):
            with translation.override(person.language):
                context = {
                    "update": update,
                    "municipality": municipality,
                    "link": settings.SITE_URL + reverse("plan_updates", args=[update.plan_id]),
                }
                subject = render_to_string(
                    "actionplans/email/reminder_subject.txt", context, using="text"
                )
                body = render_to_string(
                    "actionplans/email/reminder_body.txt", context, using="text"
                )
            send_mail(subject.strip(), body, None, [person.email])
        update.reminded_at = timezone.now()
        update.save(update_fields=["reminded_at"])
        reminded += 1
    overdue = ProgressUpdate.objects.overdue(today).filter(marked_overdue_at__isnull=True)
    marked = overdue.update(marked_overdue_at=timezone.now())
    return {"reminded": reminded, "marked_overdue": marked}
