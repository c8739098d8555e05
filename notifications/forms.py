from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.models import ALWAYS_EMAILED, Delivery, Kind, Preference

# The kinds each role is told of; a settings page offers only those.
TOLD_TO_ROLE: dict[str, list[Kind]] = {
    "ministry": [
        Kind.APPLICATION_SUBMITTED,
        Kind.PLAN_SUBMITTED,
        Kind.UPDATE_SUBMITTED,
        Kind.INFORMATION_ANSWERED,
        Kind.BUDGET_CHANGE_REQUESTED,
        Kind.PRACTICE_SUBMITTED,
        Kind.CLAIM_SUBMITTED,
        Kind.FINAL_REPORT_SUBMITTED,
        Kind.MESSAGE_POSTED,
        Kind.REPORT_READY,
        Kind.REPORT_FAILED,
    ],
    "municipality": [
        Kind.APPLICATION_DECIDED,
        Kind.INFORMATION_REQUESTED,
        Kind.PLAN_RETURNED,
        Kind.PLAN_APPROVED,
        Kind.UPDATE_RETURNED,
        Kind.UPDATE_ACCEPTED,
        Kind.SESSION_AWAITING_CONFIRMATION,
        Kind.EXPENDITURE_ACCEPTED,
        Kind.EXPENDITURE_REFUSED,
        Kind.BUDGET_CHANGE_DECIDED,
        Kind.ENTRY_REVERSED,
        Kind.DEADLINE_SOON,
        Kind.AGREEMENT_SIGNED,
        Kind.CLAIM_DECIDED,
        Kind.FINAL_REPORT_RETURNED,
        Kind.FINAL_REPORT_APPROVED,
        Kind.PRACTICE_RETURNED,
        Kind.PRACTICE_PUBLISHED,
        Kind.MESSAGE_POSTED,
        Kind.REPORT_READY,
        Kind.REPORT_FAILED,
    ],
    "provider": [Kind.SESSION_DISPUTED, Kind.MESSAGE_POSTED, Kind.REPORT_READY, Kind.REPORT_FAILED],
    "county_evaluator": [Kind.INFORMATION_ANSWERED],
}


def kinds_for(user: User) -> list[Kind]:
    return TOLD_TO_ROLE.get(user.role, list(Kind))


class PreferencesForm(forms.Form):
    """One choice a kind: e-mail at once, in the daily digest, or not at all."""

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        chosen = Preference.objects.deliveries(user)
        for kind in kinds_for(user):
            always = kind in ALWAYS_EMAILED
            choices = [c for c in Delivery.choices if not (always and c[0] == Delivery.NONE)]
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label.capitalize(),
                choices=choices,
                initial=chosen[kind.value],
                widget=forms.RadioSelect,
                help_text=_("Always e-mailed: a decision or money refused or returned.")
                if always
                else "",
            )
