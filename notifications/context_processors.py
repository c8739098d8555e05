from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """The header's bell: how many notices the person has not read, counted only when shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.visible_to(user).unread().count()
        )
    }
