from django.contrib import admin
from django.http import HttpRequest

from agreements.models import Agreement, Amendment


class AmendmentInline(admin.TabularInline):
    model = Amendment
    extra = 0
    fields = ("number", "dated_on", "changes", "container_name", "signers")
    readonly_fields = ("number", "dated_on", "changes", "container_name", "signers")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Agreement | None = None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Read in the admin; drawn up, signed and amended on the portal's pages, where the
    signed containers are checked."""

    list_display = ["number", "participation", "signed_on", "grant_amount", "flexible_share"]
    search_fields = ["number", "participation__municipality__name"]
    list_select_related = ["participation__municipality", "participation__cohort"]
    inlines = [AmendmentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Agreement | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Agreement | None = None) -> bool:
        return False
