from django.contrib import admin

from programme.models import County, Municipality, ServiceProvider


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
