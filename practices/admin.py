from django.contrib import admin

from practices.models import Practice


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "place", "county", "joint_form", "approach", "status"]
    list_filter = ["status", "joint_form", "approach", "county"]
    search_fields = ["title", "place", "description"]
    list_select_related = ["county"]
    filter_horizontal = ["municipalities", "partners"]
    readonly_fields = ["created_by", "created_at", "updated_at", "published_by", "published_at"]
