from django.contrib import admin

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


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "ehak_code", "participant_limit"]
    search_fields = ["name", "ehak_code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "ehak_code", "kind", "county", "population"]
    list_filter = ["kind", "county"]
    list_select_related = ["county"]
    search_fields = ["name", "ehak_code"]


@admin.register(ServiceProvider)
class ServiceProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "registry_code", "email", "phone"]
    search_fields = ["name", "registry_code"]


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(admin.ModelAdmin):
    list_display = ["name_et", "name_en", "code", "order"]
    list_editable = ["order"]


class CallStartYearInline(admin.TabularInline):
    model = CallStartYear
    extra = 0


class InfoSessionInline(admin.TabularInline):
    model = InfoSession
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "stage", "opens_at", "deadline_at", "grant_amount"]
    list_filter = ["stage"]
    inlines = [CallStartYearInline, InfoSessionInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["stage", "start_year", "call"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["municipality", "cohort", "start_on", "end_on", "service_provider", "source"]
    list_filter = ["cohort", "service_provider", "source"]
    list_select_related = ["municipality", "cohort", "service_provider"]
    autocomplete_fields = ["municipality"]
