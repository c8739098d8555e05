from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import (
    CONTACT_FIELDS,
    ESSAY_FIELDS,
    Activity,
    Application,
    BudgetLine,
    TeamMember,
)
from programme.models import PartnerAgency
from turvaportaal.lib.formsets import row_formset
from turvaportaal.lib.ids import ModelMultipleIdField


class ApplicationForm(forms.ModelForm):
    preferred_start_year = forms.TypedChoiceField(
        label=_("Preferred start year"), coerce=int, required=False, empty_value=None
    )

    class Meta:
        model = Application
        fields = [*CONTACT_FIELDS, *ESSAY_FIELDS, "preferred_start_year"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ESSAY_FIELDS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = self.instance.call.start_year_choices
        field = self.fields["preferred_start_year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("- Select an option -")), *[(year, year) for year in years]]


TeamFormSet = row_formset(
    Application,
    TeamMember,
    fields=["name", "kind", "role"],
    extra=1,
    can_delete=True,
)


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount"]
        widgets = {"amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"})}
        error_messages = {
            "amount": {
                "max_decimal_places": _("Give the amount in euros and cents: at most 2 decimals."),
                "invalid": _("Enter the amount as a number, e.g. 1250.50."),
            }
        }


BudgetFormSet = row_formset(
    Application,
    BudgetLine,
    form=BudgetLineForm,
    extra=1,
    can_delete=True,
)


class ActivityForm(forms.ModelForm):
    partners = ModelMultipleIdField(
        label=_("Partner agencies"),
        queryset=PartnerAgency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Activity
        fields = ["title", "description", "responsible", "partners", "start_month", "end_month"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, programme_months: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme_months = programme_months
        for name in ["start_month", "end_month"]:
            self.fields[name].widget.attrs.update({"min": 1, "max": programme_months})
            self.fields[name].help_text = _("Month 1–%(months)s of the programme.") % {
                "months": programme_months
            }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_month"), cleaned.get("end_month")
        for name, month in [("start_month", start), ("end_month", end)]:
            if month is not None and month > self.programme_months:
                self.add_error(
                    name,
                    _("The programme lasts %(months)s months; choose a month from 1 to %(months)s.")
                    % {"months": self.programme_months},
                )
        if start and end and end < start:
            self.add_error("end_month", _("The end month cannot be before the start month."))
        return cleaned


ActivityFormSet = row_formset(
    Application,
    Activity,
    form=ActivityForm,
    extra=1,
    can_delete=True,
)


class CouncilDecisionForm(forms.Form):
    file = forms.FileField(
        label=_("Council decision (PDF, or digitally signed .asice or .bdoc; at most 10 MB)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,.pdf,.asice,.bdoc,application/vnd.etsi.asic-e+zip"}
        ),
    )


class DeclarationForm(forms.Form):
    """What the person submitting vouches for: the council's decision, and the data."""

    council_decided = forms.BooleanField(
        label=_(
            "The council or the government of the municipality decided to apply to the programme."
        ),
        error_messages={"required": _("Confirm that the council decided to apply.")},
    )
    data_correct = forms.BooleanField(
        label=_("The information in this application is correct and complete."),
        error_messages={"required": _("Confirm that the information is correct.")},
    )
