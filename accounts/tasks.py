from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(invitation_id: int) -> None:
    """E-mail a new link to an invited user, in the user's language."""
    invitation = Invitation.objects.select_related("user", "invited_by").get(pk=invitation_id)
    if invitation.accepted_at:
        return
    token = invitation.issue_token()
    user = invitation.user
    with translation.override(user.language):
        context = {
            "invitation": invitation,
            "user": user,
            "link": settings.SITE_URL + reverse("invitation_accept", args=[token]),
        }
        subject = render_to_string(
            "accounts/email/invitation_subject.txt", context, using="text"
        ).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context, using="text")
    send_mail(subject, body, None, [user.email])
