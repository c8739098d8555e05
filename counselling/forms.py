from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from counselling.models import CounsellingSession, NextStep, Topic
from counselling.services import PlannedStep, SessionDetails
from programme.forms import ParticipationChoiceField
from programme.models import Participation
from turvaportaal.lib.dates import DateField
from turvaportaal.lib.formsets import MAX_ROWS


class SessionForm(forms.ModelForm):
    """What was done at a session; who attended and the next steps are formsets beside it."""

    participation = ParticipationChoiceField(
        label=_("Municipality"),
        queryset=Participation.objects.none(),
        error_messages={
            "invalid_choice": _("Choose one of the municipalities assigned to your organisation.")
        },
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = CounsellingSession
        fields = [
            "participation",
            "held_on",
            "duration_hours",
            "format",
            "topics",
            "summary",
            "attendee_count",
        ]
        widgets = {
            "duration_hours": forms.NumberInput(attrs={"step": "0.25", "min": "0.25"}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
        field_classes = {"held_on": DateField}
        error_messages = {
            "duration_hours": {"invalid": _("Enter the duration in hours, e.g. 1.5.")},
        }

    def __init__(self, *args: Any, participations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if participations is None:
            # A logged session stays with its municipality.
            del self.fields["participation"]
        else:
            field = self.fields["participation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = participations.select_related("municipality")

    def details(self) -> SessionDetails:
        data = self.cleaned_data
        return SessionDetails(
            held_on=data["held_on"],
            duration_hours=data["duration_hours"],
            format=data["format"],
            topics=list(data["topics"]),
            summary=data["summary"],
            attendee_count=data.get("attendee_count"),
        )


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role"), max_length=200)


class NextStepForm(forms.Form):
    description = forms.CharField(label=_("Next step"), max_length=500)
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_on = DateField(label=_("Due"))


def _kept(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The filled rows that are not marked for removal; empty extra rows are skipped."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class BaseAttendeeFormSet(forms.BaseFormSet):
    def attendees(self) -> list[tuple[str, str]]:
        return [(row["name"], row["role"]) for row in _kept(self)]


class BaseNextStepFormSet(forms.BaseFormSet):
    def steps(self) -> list[PlannedStep]:
        return [PlannedStep(row["description"], row["owner"], row["due_on"]) for row in _kept(self)]


AttendeeFormSet = cast(
    type[BaseAttendeeFormSet],
    forms.formset_factory(
        AttendeeForm,
        formset=BaseAttendeeFormSet,
        extra=1,
        can_delete=True,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
    ),
)
NextStepFormSet = cast(
    type[BaseNextStepFormSet],
    forms.formset_factory(
        NextStepForm,
        formset=BaseNextStepFormSet,
        extra=1,
        can_delete=True,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
    ),
)


class AnswerForm(forms.Form):
    comment = forms.CharField(
        label=_("What is wrong with the session?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=NextStep.Status.choices)
