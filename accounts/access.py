"""Section-level access: which roles may open a whole part of the portal to read it.

What a person may change or export is asked of the app's rules (turvaportaal.lib.rules).
Object-level access is each model's ``visible_to(user)`` QuerySet method; views fetch objects
through it, so an object the user may not see answers 404.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import Role, User


class AuthenticatedRequest(HttpRequest):
    """A request past LoginRequiredMiddleware: its user is always a signed-in portal user."""

    user: User


def programme_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only ministry staff and admins in; everyone else gets 403."""

    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_programme_wide_access:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only administrators in; everyone else gets 403."""

    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role != Role.ADMIN:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def login_attempt_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The e-mail a sign-in attempt is for, in lower case: the lockout counts per person."""
    data = request.POST if request.method == "POST" else {}
    value = data.get("username") or (credentials or {}).get("username")
    return value.strip().lower() if value else None
