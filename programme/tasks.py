from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from programme.models import Call


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_deadline_notice(call_id: int, moved_from: str, reason: str) -> None:
    """Tell every applicant of the call (drafts too) that its deadline moved, and why."""
    call = Call.objects.get(pk=call_id)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for application_id, email, municipality in call.applicants_to_tell():
            context = {
                "call": call,
                "municipality": municipality,
                "moved_from": datetime.fromisoformat(moved_from),
                "reason": reason,
                "link": settings.SITE_URL + reverse("application_detail", args=[application_id]),
            }
            subject = render_to_string(
                "programme/email/deadline_subject.txt", context, using="text"
            ).strip()
            body = render_to_string("programme/email/deadline_body.txt", context, using="text")
            messages.append((subject, body, None, [email]))
    send_mass_mail(messages)
