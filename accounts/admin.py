from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, User


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name", "role", "municipality", "service_provider", "county")


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ["email", "full_name", "role", "municipality", "service_provider", "is_active"]
    list_filter = ["role", "is_active", "municipality__county"]
    list_select_related = ["municipality", "service_provider"]
    search_fields = ["email", "full_name"]
    ordering = ["full_name", "email"]
    filter_horizontal = []
    autocomplete_fields = ["municipality", "service_provider"]
    readonly_fields = ["last_login", "created_at"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "position", "language"]}),
        (
            _("Role"),
            {"fields": ["role", "municipality", "service_provider", "county", "is_active"]},
        ),
        (_("Dates"), {"fields": ["last_login", "created_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "email",
                    "full_name",
                    "role",
                    "municipality",
                    "service_provider",
                    "county",
                    "usable_password",
                    "password1",
                    "password2",
                ]
            },
        )
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "invited_by", "created_at", "sent_at", "expires_at", "accepted_at"]
    list_select_related = ["user", "invited_by"]
    search_fields = ["user__email", "user__full_name"]
    readonly_fields = ["user", "invited_by", "token_hash", "created_at", "sent_at", "accepted_at"]
