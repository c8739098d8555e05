from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import AuthenticatedRequest, admin_required
from audit.filters import EventFilter
from audit.models import AuditEvent
from turvaportaal.lib.paging import page_of


@admin_required
def event_list(request: AuthenticatedRequest) -> HttpResponse:
    """The audit log, newest first; administrators only."""
    event_filter = EventFilter(request.GET, queryset=AuditEvent.objects.newest_first())
    return render(
        request,
        "audit/event_list.html",
        {"filter": event_filter, "listing": page_of(request, event_filter.qs)},
    )
