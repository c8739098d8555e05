from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from learning.models import Organiser, SharingEvent, SharingMaterial, Training, TrainingParticipant
from turvaportaal.lib.dates import DateField
from turvaportaal.lib.files import MultipleFileField
from turvaportaal.lib.ids import ModelMultipleIdField
from turvaportaal.lib.widgets import SearchSelectMultiple

ORGANISER_FIELDS = ["organiser", "service_provider", "organiser_name"]


class TrainingForm(forms.ModelForm):
    """A training's details; a provider user's trainings are always its own provider's, so the
    organiser fields are left out for them."""

    class Meta:
        model = Training
        fields = [
            "title",
            "training_type",
            "organiser",
            "service_provider",
            "organiser_name",
            "starts_on",
            "place",
            "is_online",
            "capacity",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "capacity": forms.NumberInput(attrs={"min": "1"}),
        }
        field_classes = {"starts_on": DateField}
        error_messages = {
            "capacity": {
                "min_value": _("There must be at least one place."),
                "invalid": _("Give the number of places as a whole number."),
            }
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_programme_wide_access:
            for name in ORGANISER_FIELDS:
                del self.fields[name]

    def workflow_data(self) -> dict[str, Any]:
        """The cleaned values as the save_training service takes them."""
        data = dict(self.cleaned_data)
        data.setdefault("organiser", Organiser.SERVICE_PROVIDER)
        data.setdefault("service_provider", self.user.service_provider)
        data.setdefault("organiser_name", "")
        return data


class RegistrationForm(forms.Form):
    """A person the user's municipality sends to a training; the municipality is never a field:
    it is always the user's own."""

    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(
        label=_("Official or network member"), choices=TrainingParticipant.Kind.choices
    )
    role = forms.CharField(
        label=_("Role"),
        max_length=150,
        help_text=_("For example, child protection specialist (lastekaitsespetsialist)."),
    )


ATTENDED, NOT_ATTENDED, NOT_RECORDED = "yes", "no", ""


class AttendanceForm(forms.Form):
    """One choice per registered participant: attended, did not attend, or not recorded yet."""

    def __init__(self, *args: Any, participants: list[TrainingParticipant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = participants
        for participant in participants:
            initial = {True: ATTENDED, False: NOT_ATTENDED, None: NOT_RECORDED}[
                participant.attended
            ]
            self.fields[f"p{participant.pk}"] = forms.ChoiceField(
                label=participant.name,
                choices=[
                    (ATTENDED, _("attended")),
                    (NOT_ATTENDED, _("did not attend")),
                    (NOT_RECORDED, _("not recorded yet")),
                ],
                initial=initial,
                required=False,
                widget=forms.RadioSelect,
            )

    def rows(self) -> list[tuple[TrainingParticipant, forms.BoundField]]:
        return [(p, self[f"p{p.pk}"]) for p in self.participants]

    def attendance(self) -> dict[int, bool | None]:
        values = {ATTENDED: True, NOT_ATTENDED: False, NOT_RECORDED: None}
        return {p.pk: values[self.cleaned_data[f"p{p.pk}"]] for p in self.participants}


class SharingEventForm(forms.ModelForm):
    materials = MultipleFileField(
        label=_("Add materials (PDF, PNG or JPEG, at most 10 MB each)"), required=False
    )
    remove_materials = ModelMultipleIdField(
        label=_("Remove materials"),
        queryset=SharingMaterial.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = SharingEvent
        fields = [
            "title",
            "held_on",
            "level",
            "county",
            "host",
            "presenters",
            "attendees",
            "notes",
        ]
        widgets = {
            "presenters": SearchSelectMultiple("municipality_search"),
            "attendees": SearchSelectMultiple("municipality_search"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {
            "held_on": DateField,
            "presenters": ModelMultipleIdField,
            "attendees": ModelMultipleIdField,
        }
        help_texts = {
            "presenters": _("A municipality that presented need not be chosen as attending."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        remove = self.fields["remove_materials"]
        assert isinstance(remove, ModelMultipleIdField)
        if self.instance.pk:
            remove.queryset = self.instance.materials.all()
        else:
            del self.fields["remove_materials"]

    def workflow_data(self) -> dict[str, Any]:
        """The cleaned values as the save_sharing_event service takes them."""
        data = dict(self.cleaned_data)
        data.setdefault("remove_materials", [])
        return data
