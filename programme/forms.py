from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from programme.models import Call, CallStartYear, InfoSession
from turvaportaal.lib.widgets import DateTimeInput


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = [
            "stage",
            "title",
            "description",
            "opens_at",
            "deadline_at",
            "grant_amount",
            "programme_months",
        ]
        widgets = {
            "opens_at": DateTimeInput(),
            "deadline_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "grant_amount": forms.NumberInput(attrs={"step": "0.01"}),
        }


class BaseStartYearFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # A year given twice is refused by the formset's own uniqueness check.
        if not kept:
            raise forms.ValidationError(_("Give at least one start year with its places."))


StartYearFormSet = inlineformset_factory(
    Call,
    CallStartYear,
    formset=BaseStartYearFormSet,
    fields=["year", "places"],
    extra=2,
    can_delete=True,
)

InfoSessionFormSet = inlineformset_factory(
    Call,
    InfoSession,
    fields=["starts_at", "link"],
    widgets={"starts_at": DateTimeInput()},
    extra=2,
    can_delete=True,
)
