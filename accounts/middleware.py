"""Staff session limits and the second factor, checked at every request."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import sessions, twofactor
from accounts.models import User

# What a person who still owes the second factor may open (static files are served before any
# of this): the two pages of the second factor, signing out and the language switch.
OPEN_BEFORE_SECOND_FACTOR = {"two_factor_setup", "two_factor_verify", "logout", "set_language"}


class StaffSessionMiddleware:
    """Ends a staff session that was idle or open too long, and notes each signed-in session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if sessions.staff_session_has_ended(request.user, request.session, timezone.now()):
            logout(request)
            # LoginRequiredMiddleware now sends the visitor to sign in, with the page as next.
            messages.info(
                request,
                _(
                    "You were signed out: staff sessions end after %(idle)d minutes without "
                    "activity and %(hours)d hours after signing in. Sign in again."
                )
                % {
                    "idle": settings.STAFF_SESSION_IDLE.total_seconds() // 60,
                    "hours": settings.STAFF_SESSION_MAX.total_seconds() // 3600,
                },
            )
        response = self.get_response(request)
        sessions.note_request(request.user, request.session, timezone.now())
        return response


class SecondFactorMiddleware:
    """Keeps a person who must use a second factor on its pages until they enter a code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not twofactor.is_second_factor_missing(user, request.session):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        assert isinstance(user, User)
        page = "two_factor_verify" if twofactor.confirmed_device(user) else "two_factor_setup"
        url = reverse(page)
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)
