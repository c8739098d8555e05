from django.contrib import admin

from reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["kind", "participation", "version", "language", "status", "requested_at"]
    list_filter = ["kind", "status", "language"]
    list_select_related = ["participation__municipality"]
    readonly_fields = ["sha256", "size", "file", "attempts", "failure", "failure_reason"]
