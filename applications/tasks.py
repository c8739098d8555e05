from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from applications.models import Application


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
