from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import rules
from accounts.models import Invitation, User
from accounts.services import deactivate_user
from audit.services import form_changes, record_change
from turvaportaal.lib.rules import require


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
    search_fields = ["email", "full_name", "personal_code"]
    ordering = ["full_name", "email"]
    filter_horizontal = []
    autocomplete_fields = ["municipality", "service_provider"]
    readonly_fields = ["last_login", "created_at"]
    actions = ["deactivate"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "position", "language"]}),
        # Emptied, the eID is unlinked: the person's invitation or an administrator links it again.
        (_("Estonian eID"), {"fields": ["personal_code"]}),
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and bool(rules.may_invite(request.user))

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        # An administrator cannot take away their own access (accounts/rules.py): one would be
        # signed out in the middle of the request, and the portal could be left without an
        # administrator. An inactive person's box stays offered: ticking it lets them back in.
        if obj is None:
            return self.readonly_fields
        user: Any = request.user
        readonly = list(self.readonly_fields)
        if not rules.may_change_role(user, obj):
            readonly.append("role")
        if rules.may_deactivate(user, obj).forbidden:
            readonly.append("is_active")
        return readonly

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        user: Any = request.user
        if not change:
            require(rules.may_invite(user, obj.role))
        elif "role" in form.changed_data:
            require(rules.may_change_role(user, obj))
        # Unticking "active" is deactivating, as the action below does: signed out everywhere,
        # by deactivate_user, which asks the rule of the person as they were.
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        if deactivating:
            obj.is_active = True
        before, after = form_changes(form)
        super().save_model(request, obj, form, change)
        if deactivating:
            deactivate_user(user=obj, by=user)
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
        user: Any = request.user
        deactivated = 0
        for person in queryset:
            verdict = rules.may_deactivate(user, person)
            if verdict:
                deactivate_user(user=person, by=user)
                deactivated += 1
            else:
                refused = f"{person.full_name} ({person.email}): {verdict}"
                self.message_user(request, refused, messages.WARNING)
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", deactivated)
            % {"count": deactivated},
            messages.SUCCESS,
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "invited_by", "created_at", "sent_at", "expires_at", "accepted_at"]
    list_select_related = ["user", "invited_by"]
    search_fields = ["user__email", "user__full_name"]
    readonly_fields = ["user", "invited_by", "token_hash", "created_at", "sent_at", "accepted_at"]


class SecondFactorAdmin(TOTPDeviceAdmin):
    """django-otp's device admin, changing a device only where accounts.reset_second_factor
    allows: deleting a person's device makes them set up a new one at their next sign-in."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and bool(
            rules.may_reset_second_factor(request.user)
        )

    def has_change_permission(self, request: HttpRequest, obj: TOTPDevice | None = None) -> bool:
        person = obj.user if obj is not None else None
        return super().has_change_permission(request, obj) and bool(
            rules.may_reset_second_factor(request.user, person)
        )

    def has_delete_permission(self, request: HttpRequest, obj: TOTPDevice | None = None) -> bool:
        person = obj.user if obj is not None else None
        return super().has_delete_permission(request, obj) and bool(
            rules.may_reset_second_factor(request.user, person)
        )


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, SecondFactorAdmin)
