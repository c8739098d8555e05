from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from programme.models import Call, CallStartYear, InfoSession, Participation, ServiceProvider
from turvaportaal.lib.formsets import BatchedInlineFormSet, row_formset
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

    def _in_programme_years(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        # Also a guard: a time in year 1 cannot even be turned into UTC (it overflows).
        if value is not None and not 2000 <= value.year <= 2100:
            raise forms.ValidationError(_("Give a date between the years 2000 and 2100."))
        return value

    def clean_opens_at(self) -> Any:
        return self._in_programme_years("opens_at")

    def clean_deadline_at(self) -> Any:
        return self._in_programme_years("deadline_at")


class BaseStartYearFormSet(BatchedInlineFormSet):
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


StartYearFormSet = row_formset(
    Call,
    CallStartYear,
    formset=BaseStartYearFormSet,
    fields=["year", "places"],
    extra=2,
    can_delete=True,
)

InfoSessionFormSet = row_formset(
    Call,
    InfoSession,
    fields=["starts_at", "link"],
    widgets={"starts_at": DateTimeInput()},
    extra=2,
    can_delete=True,
)


class ParticipationChoiceField(forms.ModelChoiceField):
    """A participation chosen by its municipality's name."""

    # Static, so that the search box's answers (programme.views) name a participation alike.
    @staticmethod
    def label_from_instance(obj: Participation) -> str:
        return obj.municipality.name


class ServiceProviderForm(forms.ModelForm):
    class Meta:
        model = ServiceProvider
        fields = ["name", "registry_code", "email", "phone"]


class ProviderAssignmentForm(forms.Form):
    """One choice of provider per participation; an empty choice leaves it unassigned."""

    def __init__(self, *args: Any, participations: list[Participation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participations = participations
        # One query for the providers, however many rows: each row offers the same list.
        self.providers = {str(provider.pk): provider for provider in ServiceProvider.objects.all()}
        choices = [("", _("— not assigned —"))] + [
            (pk, provider.name) for pk, provider in self.providers.items()
        ]
        for participation in participations:
            self.fields[self.field_name(participation)] = forms.ChoiceField(
                choices=choices,
                required=False,
                initial=participation.service_provider_id or "",
                label=participation.municipality.name,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    @staticmethod
    def field_name(participation: Participation) -> str:
        return f"participation-{participation.pk}"

    def assignments(self) -> dict[Participation, ServiceProvider | None]:
        return {
            p: self.providers.get(self.cleaned_data[self.field_name(p)])
            for p in self.participations
        }

    def rows(self) -> list[tuple[Participation, forms.BoundField]]:
        return [(p, self[self.field_name(p)]) for p in self.participations]
