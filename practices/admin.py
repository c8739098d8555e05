from django.contrib import admin
from django.http import HttpRequest

from practices import rules
from practices.models import Practice


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    """Describing and changing asks practices/rules.py as the portal's pages do. The status and
    its history are the workflow's own (submit, publish, return, unpublish, on the practice's
    page), so they are read here, never set."""

    list_display = ["title", "place", "county", "joint_form", "approach", "status"]
    list_filter = ["status", "joint_form", "approach", "county"]
    search_fields = ["title", "place", "description"]
    list_select_related = ["county"]
    filter_horizontal = ["municipalities", "partners"]
    readonly_fields = [
        "status",
        "return_comment",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_by",
        "published_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and bool(rules.may_create_practice(request.user))

    def has_change_permission(self, request: HttpRequest, obj: Practice | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and bool(rules.may_edit_practice(request.user, obj))
