from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Application
from notifications.services import REMIND_WITHIN, municipality_people, remind_of_deadline


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_submission_receipt(application_id: int, language: str) -> None:
    """E-mail the contact person a receipt with a summary of the submitted application."""
    application = (
        Application.objects.select_related("call", "municipality")
        .prefetch_related("budget_lines", "activities")
        .get(pk=application_id)
    )
    with translation.override(language):
        context = {
            "application": application,
            "link": settings.SITE_URL + reverse("application_detail", args=[application.pk]),
        }
        subject = render_to_string(
            "applications/email/receipt_subject.txt", context, using="text"
        ).strip()
        body = render_to_string("applications/email/receipt_body.txt", context, using="text")
    send_mail(subject, body, None, [application.contact_email])


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_selection_decision(application_id: int, language: str) -> None:
    """E-mail the applicant the ministry's decision and the reason for it."""
    application = Application.objects.select_related("call", "municipality", "decision").get(
        pk=application_id
    )
    with translation.override(language):
        context = {
            "application": application,
            "decision": application.decision,
            "challenge_address": settings.CHALLENGE_ADDRESS,
            "link": settings.SITE_URL + reverse("application_detail", args=[application.pk]),
        }
        subject = render_to_string(
            "applications/email/decision_subject.txt", context, using="text"
        ).strip()
        body = render_to_string("applications/email/decision_body.txt", context, using="text")
    send_mail(subject, body, None, [application.contact_email])


@shared_task
def remind_call_deadlines() -> int:
    """Daily: the municipality of a draft is told a week, and a day, before its call closes."""
    return remind_drafts(timezone.now())


def remind_drafts(now: datetime) -> int:
    drafts = Application.objects.drafts_closing(now, REMIND_WITHIN).select_related(
        "call", "municipality"
    )
    return sum(
        len(
            remind_of_deadline(
                about=application,
                deadline=application.call.deadline_at,
                recipients=municipality_people(application.municipality),
                link=reverse("application_detail", args=[application.pk]),
                now=now,
            )
        )
        for application in drafts
    )
