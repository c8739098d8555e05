from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from actionplans import rules
from actionplans.models import ActionPlan, Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """The catalogue, as the portal's catalogue page keeps it (actionplans.edit_catalogue); a
    municipality's own indicators are shown, not changed."""

    list_display = ["code", "name_et", "unit", "lower_is_better", "municipality"]
    list_filter = ["lower_is_better", "frequency"]
    search_fields = ["code", "name_et", "name_en"]

    def _keeps(self, request: HttpRequest, indicator: Indicator | None) -> bool:
        return bool(rules.may_edit_catalogue(request.user, indicator or Indicator()))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._keeps(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._keeps(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._keeps(request, obj)


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    """Plans are read here. They start, change, go for approval and are decided on the portal's
    pages, whose workflows keep the audit trail: the admin asks the same rules, and an
    administrator is never a municipality's own person (actionplans.edit)."""

    list_display = ["participation", "status", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["participation__municipality"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a plan is started by its municipality (actionplans.start)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return False
        return super().has_change_permission(request, obj) and bool(
            rules.may_edit(request.user, obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an approved plan's revisions are kept
