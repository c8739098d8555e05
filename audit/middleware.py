from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_noop

from audit.models import Action
from audit.services import record, serving


def _is_refusal(request: HttpRequest, response: HttpResponse) -> bool:
    """A 403, or a 404 from a view that exists: the visibility rule answers 404 for an object
    the user may not see, so a signed-in user's 404 on a real route is a refusal. A mistyped
    address (no route) is not one, nor is an anonymous visitor's 404."""
    if response.status_code == 403:
        return True
    return (
        response.status_code == 404
        and request.user.is_authenticated
        and getattr(request, "resolver_match", None) is not None
    )


class AuditMiddleware:
    """Records refused access, and lets records written while serving a request say where it
    came from. Comes after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with serving(request):
            response = self.get_response(request)
        if _is_refusal(request, response):
            forbidden = response.status_code == 403
            detail = gettext_noop("forbidden") if forbidden else gettext_noop("not found")
            record(request, Action.ACCESS_REFUSED, detail=detail)
        return response
