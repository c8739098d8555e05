from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from programme import rules
from programme.models import (
    Call,
    CallStartYear,
    Cohort,
    County,
    InfoSession,
    Municipality,
    Participation,
    PartnerAgency,
    ServiceProvider,
)


class _ReferenceData(admin.ModelAdmin):
    """Changed only where programme.edit_reference_data allows (administrators)."""

    def _may(self, request: HttpRequest) -> bool:
        return bool(rules.may_edit_reference_data(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may(request)


@admin.register(County)
class CountyAdmin(_ReferenceData):
    list_display = ["name", "ehak_code", "participant_limit"]
    search_fields = ["name", "ehak_code"]


@admin.register(Municipality)
class MunicipalityAdmin(_ReferenceData):
    list_display = ["name", "ehak_code", "kind", "county", "population"]
    list_filter = ["kind", "county"]
    list_select_related = ["county"]
    search_fields = ["name", "ehak_code"]


@admin.register(ServiceProvider)
class ServiceProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "registry_code", "email", "phone"]
    search_fields = ["name", "registry_code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and bool(rules.may_edit_provider(request.user))

    def has_change_permission(
        self, request: HttpRequest, obj: ServiceProvider | None = None
    ) -> bool:
        return super().has_change_permission(request, obj) and bool(
            rules.may_edit_provider(request.user, obj)
        )

    def has_delete_permission(
        self, request: HttpRequest, obj: ServiceProvider | None = None
    ) -> bool:
        return super().has_delete_permission(request, obj) and bool(
            rules.may_edit_provider(request.user, obj)
        )


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(_ReferenceData):
    list_display = ["name_et", "name_en", "code", "order"]
    list_editable = ["order"]


class _CallPart(admin.TabularInline):
    extra = 0

    def _may(self, request: HttpRequest, call: Call | None) -> bool:
        return bool(rules.may_edit_call(request.user, call))

    def has_add_permission(self, request: HttpRequest, obj: Call | None = None) -> bool:
        return super().has_add_permission(request, obj) and self._may(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Call | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Call | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may(request, obj)


class CallStartYearInline(_CallPart):
    model = CallStartYear


class InfoSessionInline(_CallPart):
    model = InfoSession


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "stage", "opens_at", "deadline_at", "grant_amount"]
    list_filter = ["stage"]
    inlines = [CallStartYearInline, InfoSessionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and bool(rules.may_edit_call(request.user))

    def has_change_permission(self, request: HttpRequest, obj: Call | None = None) -> bool:
        return super().has_change_permission(request, obj) and bool(
            rules.may_edit_call(request.user, obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Call | None = None) -> bool:
        return super().has_delete_permission(request, obj) and bool(
            rules.may_edit_call(request.user, obj)
        )


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    """A cohort groups participations: changing one by hand corrects them."""

    list_display = ["stage", "start_year", "call"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and bool(
            rules.may_edit_participation(request.user)
        )

    def has_change_permission(self, request: HttpRequest, obj: Cohort | None = None) -> bool:
        return super().has_change_permission(request, obj) and bool(
            rules.may_edit_participation(request.user)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Cohort | None = None) -> bool:
        return super().has_delete_permission(request, obj) and bool(
            rules.may_edit_participation(request.user)
        )


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["municipality", "cohort", "start_on", "end_on", "service_provider", "source"]
    list_filter = ["cohort", "service_provider", "source"]
    list_select_related = ["municipality", "cohort", "service_provider"]
    autocomplete_fields = ["municipality"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and bool(
            rules.may_edit_participation(request.user)
        )

    def has_change_permission(self, request: HttpRequest, obj: Participation | None = None) -> bool:
        return super().has_change_permission(request, obj) and bool(
            rules.may_edit_participation(request.user, obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Participation | None = None) -> bool:
        return super().has_delete_permission(request, obj) and bool(
            rules.may_edit_participation(request.user, obj)
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Participation | None = None) -> Any:
        # The provider is assigned as on the portal's page, by programme.assign_providers.
        if rules.may_assign_providers(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "service_provider"]
