from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read only: a notice is what someone was told, and when."""

    list_display = ["created_at", "recipient", "kind", "label", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "label"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
