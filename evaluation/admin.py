from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from evaluation.models import OfficialValue, QuarterlyCounts, StatisticsImport


class ReadOnly(admin.ModelAdmin):
    """Official values come from the import, counts from the municipality's form: the admin
    reads them and changes none."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OfficialValue)
class OfficialValueAdmin(ReadOnly):
    list_display = ["indicator", "municipality", "year", "value", "table", "imported_on"]
    list_filter = ["indicator", "year"]
    list_select_related = ["indicator", "municipality"]


@admin.register(StatisticsImport)
class StatisticsImportAdmin(ReadOnly):
    list_display = ["started_at", "finished_at", "created", "revised", "unchanged", "calls"]


@admin.register(QuarterlyCounts)
class QuarterlyCountsAdmin(ReadOnly):
    list_display = ["participation", "quarter_start_on", "cases_started", "sellers_trained"]
    list_select_related = ["participation__municipality"]
