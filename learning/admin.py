from django.contrib import admin

from learning.models import SharingEvent, SharingMaterial, Training, TrainingParticipant


class ParticipantInline(admin.TabularInline):
    model = TrainingParticipant
    extra = 0
    fields = ["name", "municipality", "kind", "role", "attended"]
    raw_id_fields = ["municipality"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "training_type", "organiser", "starts_on", "capacity"]
    list_filter = ["training_type", "organiser"]
    list_select_related = ["service_provider"]
    search_fields = ["title", "organiser_name"]
    date_hierarchy = "starts_on"
    inlines = [ParticipantInline]


@admin.register(TrainingParticipant)
class TrainingParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "training", "kind", "role", "attended"]
    list_filter = ["kind", "attended", "training__training_type"]
    list_select_related = ["municipality", "training"]
    search_fields = ["name", "role"]


class MaterialInline(admin.TabularInline):
    model = SharingMaterial
    extra = 0
    fields = ["original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_name", "size", "uploaded_by", "uploaded_at"]


@admin.register(SharingEvent)
class SharingEventAdmin(admin.ModelAdmin):
    list_display = ["title", "held_on", "level", "county", "host"]
    list_filter = ["level", "county"]
    list_select_related = ["county"]
    search_fields = ["title", "host"]
    date_hierarchy = "held_on"
    filter_horizontal = ["presenters", "attendees"]
    inlines = [MaterialInline]
