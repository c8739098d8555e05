from django.contrib import admin

from actionplans.models import ActionPlan, Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_et", "unit", "lower_is_better", "municipality"]
    list_filter = ["lower_is_better", "frequency"]
    search_fields = ["code", "name_et", "name_en"]


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["participation", "status", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["participation__municipality"]
