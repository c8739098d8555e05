from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.models import Call, CallStartYear, InfoSession, Participation, ServiceProvider
from turvaportaal.lib.dates import DateTimeField
from turvaportaal.lib.formsets import BatchedInlineFormSet, row_formset


class CallForm(forms.ModelForm):
    deadline_change_reason = forms.CharField(
        label=_("Why the deadline moves"),
        help_text=_("Needed once applications are in: every applicant of the call is told."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not (self.instance.pk and self.instance.has_handed_in_applications()):
            del self.fields["deadline_change_reason"]

    def clean_deadline_at(self) -> Any:
        deadline = self.cleaned_data.get("deadline_at")
        # A call entered afterwards may have its deadline behind it; one that exists is not
        # closed early by moving its deadline into the past.
        moved = self.instance.pk and "deadline_at" in self.changed_data
        if deadline and moved and deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline

    def moves_the_deadline_of_applicants(self) -> bool:
        """Whether saving moves the deadline of a call with applications in: it is confirmed
        first, and every applicant is told."""
        asked = "deadline_change_reason" in self.fields  # applications are in
        return asked and "deadline_at" in self.changed_data

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        reason = cleaned.get("deadline_change_reason", "").strip()
        if self.moves_the_deadline_of_applicants() and not reason:
            self.add_error(
                "deadline_change_reason",
                _("Applications are in: say why the deadline moves; the applicants are told."),
            )
        return cleaned

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
        field_classes = {"opens_at": DateTimeField, "deadline_at": DateTimeField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "grant_amount": forms.NumberInput(attrs={"step": "0.01"}),
        }


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
    field_classes={"starts_at": DateTimeField},
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
    """The participations ticked on the page, and the one provider to counsel them (or none).

    One list of providers on the page, whatever the number of rows: a select of every provider
    on every row made the page's widgets grow as rows times providers."""

    NO_PROVIDER = "none"

    participations = forms.MultipleChoiceField(
        label=_("Municipalities"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Tick the municipalities to assign.")},
    )
    provider = forms.ChoiceField(
        label=_("Assign the ticked municipalities to"),
        error_messages={"required": _("Choose a service provider, or no provider.")},
    )

    def __init__(self, *args: Any, participations: list[Participation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown = {str(participation.pk): participation for participation in participations}
        ticked, chosen = self.fields["participations"], self.fields["provider"]
        assert isinstance(ticked, forms.ChoiceField) and isinstance(chosen, forms.ChoiceField)
        ticked.choices = [
            (pk, participation.municipality.name) for pk, participation in self.shown.items()
        ]
        # One query for the providers, however many rows.
        self.providers = {str(provider.pk): provider for provider in ServiceProvider.objects.all()}
        chosen.choices = [
            ("", _("— choose —")),
            (self.NO_PROVIDER, _("— no provider —")),
            *((pk, provider.name) for pk, provider in self.providers.items()),
        ]

    def assignments(self) -> dict[Participation, ServiceProvider | None]:
        provider = self.providers.get(self.cleaned_data["provider"])
        return {self.shown[pk]: provider for pk in self.cleaned_data["participations"]}

    def rows(self) -> list[tuple[Participation, Any]]:
        """Each participation of the page with its check box."""
        return [(self.shown[str(box.data["value"])], box) for box in self["participations"]]
