from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from counselling import rules
from counselling.models import Attendee, CounsellingSession, NextStep

# The record is the provider's and the municipality's word (counselling/rules.py): the admin
# changes a session only where its predicate lets the person, which for an administrator, who
# is neither, is nowhere. The admin reads it.


def _may_correct(request: HttpRequest, session: CounsellingSession | None) -> bool:
    return session is not None and bool(rules.may_correct_session(request.user, session))


class _SessionPart(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_correct(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_correct(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_correct(request, obj)


class AttendeeInline(_SessionPart):
    model = Attendee


class NextStepInline(_SessionPart):
    model = NextStep


@admin.register(CounsellingSession)
class CounsellingSessionAdmin(admin.ModelAdmin):
    list_display = [
        "participation",
        "service_provider",
        "held_on",
        "duration_hours",
        "confirmation",
    ]
    list_filter = ["confirmation", "format", "service_provider"]
    list_select_related = ["participation__municipality", "service_provider"]
    date_hierarchy = "held_on"
    inlines = [AttendeeInline, NextStepInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and bool(rules.may_log_session(request.user))

    def has_change_permission(
        self, request: HttpRequest, obj: CounsellingSession | None = None
    ) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and _may_correct(request, obj)
