from django.contrib import admin

from counselling.models import Attendee, CounsellingSession, NextStep


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0


class NextStepInline(admin.TabularInline):
    model = NextStep
    extra = 0


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
