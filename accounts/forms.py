from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts import rules
from accounts.models import Role, User
from accounts.personal_codes import normalised_personal_code
from turvaportaal.lib.widgets import SearchSelect


class InvitationForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "email",
            "full_name",
            "position",
            "role",
            "municipality",
            "service_provider",
            "county",
            "language",
        ]
        widgets = {
            "municipality": SearchSelect("municipality_search"),
        }

    personal_code = forms.CharField(
        label=_("Personal code"),
        required=False,
        max_length=64,
        help_text=_(
            "Optional: with it the person can sign in with their Estonian ID-card, Mobile-ID or "
            "Smart-ID (or an EU eID), for example 38001085718."
        ),
    )

    def __init__(self, *args: Any, inviter: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(role.value, role.label) for role in inviter.invitable_roles()]
        self.fields["municipality"].help_text = _("Only for municipality users.")
        self.fields["service_provider"].help_text = _("Only for service provider users.")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()

    def clean_personal_code(self) -> str:
        code = self.cleaned_data["personal_code"].strip()
        if not code:
            return ""
        code = normalised_personal_code(code)
        if User.objects.filter(personal_code=code).exists():
            raise forms.ValidationError(
                _("Another person has this personal code already."), code="unique"
            )
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        # Only the organisation that goes with the role is kept.
        if role != Role.MUNICIPALITY:
            cleaned["municipality"] = None
        elif not cleaned.get("municipality"):
            self.add_error("municipality", _("Choose the municipality this person works for."))
        if role != Role.PROVIDER:
            cleaned["service_provider"] = None
        elif not cleaned.get("service_provider"):
            self.add_error("service_provider", _("Choose the service provider of this person."))
        if role != Role.COUNTY_EVALUATOR:
            cleaned["county"] = None
        elif not cleaned.get("county"):
            self.add_error(
                "county", _("Choose the county whose safety council this person represents.")
            )
        return cleaned


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        help_text=_("The code your authenticator app shows for Turvaportaal now."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        # Apps show the code in two groups of three: the space may come along.
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the 6 digits of the code."), code="format")
        return code


class SignInForm(AuthenticationForm):
    """The password sign-in, refused for the roles that sign in with eID only."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        verdict = rules.may_sign_in_with_password(user)
        if not verdict:
            raise forms.ValidationError(str(verdict), code="eid_only")
