from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from accounts.models import Invitation, User
from accounts.services import deactivate_user
from audit.services import form_changes, record_change


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
    actions = ["deactivate"]
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

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        # An administrator cannot take away their own access: one would be signed out in the
        # middle of the request, and the portal could be left without an administrator.
        if obj is not None and obj.pk == request.user.pk:
            return [*self.readonly_fields, "role", "is_active"]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        before, after = form_changes(form)
        super().save_model(request, obj, form, change)
        # Unticking "active" is deactivating, as the action below does: signed out everywhere.
        if change and "is_active" in form.changed_data and not obj.is_active:
            deactivate_user(user=obj)
        # A role, organisation or permission given here is recorded like a change made in the
        # portal (deactivating is recorded by deactivate_user).
        before.pop("is_active", None)
        after.pop("is_active", None)
        if not change:
            added = gettext_noop("person added by an administrator")
            record_change(request, obj, added, after=after)
        elif after:
            changed = gettext_noop("person changed by an administrator")
            record_change(request, obj, changed, before=before, after=after)

    @admin.action(description=_("Deactivate the selected users and end their sessions"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        own = request.user.pk or 0
        if queryset.filter(pk=own).exists():
            self.message_user(
                request, _("You cannot deactivate your own account."), messages.WARNING
            )
        users = list(queryset.filter(is_active=True).exclude(pk=own))
        for user in users:
            deactivate_user(user=user)
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", len(users))
            % {"count": len(users)},
            messages.SUCCESS,
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "invited_by", "created_at", "sent_at", "expires_at", "accepted_at"]
    list_select_related = ["user", "invited_by"]
    search_fields = ["user__email", "user__full_name"]
    readonly_fields = ["user", "invited_by", "token_hash", "created_at", "sent_at", "accepted_at"]
