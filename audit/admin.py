from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the log is written by the portal, never by hand."""

    list_display = ["at", "actor_label", "action", "object_kind", "object_label", "what"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_label", "path"]
    list_select_related = ["actor"]

    @admin.display(description=_("object type"), ordering="object_type")
    def object_kind(self, event: AuditEvent) -> str:
        return event.object_type_name

    @admin.display(description=_("what"))
    def what(self, event: AuditEvent) -> str:
        return event.detail_text

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
