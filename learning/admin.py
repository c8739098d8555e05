from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from learning import rules
from learning.models import SharingEvent, SharingMaterial, Training, TrainingParticipant

# The admin changes what learning/rules.py lets the person change: a training its organiser (an
# administrator organises any), the attendance from the training's date; the people on it are
# registered and withdrawn by their own municipality, so the admin keeps their names as they are.


class ParticipantInline(admin.TabularInline):
    model = TrainingParticipant
    extra = 0
    fields = ["name", "municipality", "kind", "role", "attended"]
    readonly_fields = ["name", "municipality", "kind", "role"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and bool(rules.may_register_participant(request.user, obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and bool(rules.may_record_attendance(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a withdrawal is the municipality's, on the training's page


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "training_type", "organiser", "starts_on", "capacity"]
    list_filter = ["training_type", "organiser"]
    list_select_related = ["service_provider"]
    search_fields = ["title", "organiser_name"]
    date_hierarchy = "starts_on"
    inlines = [ParticipantInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and bool(rules.may_create_training(request.user))

    def has_change_permission(self, request: HttpRequest, obj: Training | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and bool(rules.may_edit_training(request.user, obj))


@admin.register(TrainingParticipant)
class TrainingParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "training", "kind", "role", "attended"]
    list_filter = ["kind", "attended", "training__training_type"]
    list_select_related = ["municipality", "training"]
    search_fields = ["name", "role"]
    readonly_fields = ["training", "name", "municipality", "kind", "role"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # registered by their municipality, on the training's page

    def has_change_permission(
        self, request: HttpRequest, obj: TrainingParticipant | None = None
    ) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and bool(rules.may_record_attendance(request.user, obj.training))

    def has_delete_permission(
        self, request: HttpRequest, obj: TrainingParticipant | None = None
    ) -> bool:
        if obj is None:
            return super().has_delete_permission(request)
        return super().has_delete_permission(request, obj) and bool(
            rules.may_withdraw_participant(request.user, obj)
        )


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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and bool(
            rules.may_record_sharing_event(request.user)
        )

    def has_change_permission(self, request: HttpRequest, obj: SharingEvent | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and bool(rules.may_edit_sharing_event(request.user, obj))
