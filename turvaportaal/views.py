import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

# How long a client is asked to wait before trying again while the database is unreachable.
RETRY_AFTER_SECONDS = 60


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the deployment's health checks: the process answers and the database is reachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("Health check: the database cannot be reached.", exc_info=True)
        return JsonResponse(
            {"status": "database unavailable"},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return JsonResponse({"status": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's error handler (handler500), with DEBUG off: an unreachable database is a 503.

    Django turns an exception into a response where it is raised, before any outer middleware
    could catch it, so this handler is where the whole stack's exceptions arrive. In the DB-API,
    OperationalError and InterfaceError are the database's failures, not the code's (connection
    refused or lost, a lock or statement timeout): the request may succeed if sent again.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable()
    return defaults.server_error(request)


def database_unavailable() -> HttpResponse:
    # No request context: the context processors (the signed-in user) would query the
    # database again. The locale middleware has already chosen the language.
    return HttpResponse(
        render_to_string("503.html"),
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
