from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from applications.models import Application, Criterion
from programme.models import Call
from turvaportaal.lib.formsets import row_formset

CriterionFormSet = row_formset(
    Call,
    Criterion,
    fields=["name", "description", "weight", "scale_max", "order"],
    widgets={"description": forms.Textarea(attrs={"rows": 2})},
    extra=1,
    can_delete=True,
)


class CallEvaluationForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = ["minimum_result", "consensus_margin"]


def _evaluators(county_ids: list[int]) -> QuerySet[User]:
    """Who may evaluate an application of these counties: ministry staff, and the county
    evaluators of its county."""
    return User.objects.filter(is_active=True).filter(
        Q(role=Role.MINISTRY) | Q(role=Role.COUNTY_EVALUATOR, county__in=county_ids)
    )


class AssignForm(forms.Form):
    evaluator = forms.ModelChoiceField(label=_("Evaluator"), queryset=User.objects.none())

    def __init__(
        self,
        *args: Any,
        application: Application,
        evaluators: list[User] | None = None,
        **kwargs: Any,
    ) -> None:
        """evaluators: the call's evaluators (for_applications) when a page shows a form per
        application, so that the choices come from one query, not one a form; the application's
        assignments are then read from its prefetched cache. Such a form is for showing only:
        it takes no evaluator (the view that assigns builds the form without them)."""
        super().__init__(*args, **kwargs)
        field = self.fields["evaluator"]
        assert isinstance(field, forms.ModelChoiceField)
        county_id = application.municipality.county_id
        if evaluators is None:
            field.queryset = _evaluators([county_id]).exclude(assignments__application=application)
            return
        # No queryset of its own: building one costs more than the rest of the form.
        assigned = {assignment.evaluator_id for assignment in application.assignments.all()}
        field.choices = [
            ("", field.empty_label),
            *(
                (user.pk, field.label_from_instance(user))
                for user in evaluators
                if user.pk not in assigned
                and (user.role == Role.MINISTRY or user.county_id == county_id)
            ),
        ]

    @staticmethod
    def for_applications(applications: list[Application]) -> list[User]:
        """Everyone who may evaluate one of the applications, in one query."""
        return list(_evaluators([a.municipality.county_id for a in applications]))


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this application?"),
        choices=[("no", _("No, I have no conflict of interest")), ("yes", _("Yes, I have"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class ScoreForm(forms.Form):
    """One score and comment per criterion of the call."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=[(value, value) for value in range(criterion.scale_max + 1)],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }

    def pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class ConsensusForm(forms.Form):
    criterion = forms.ModelChoiceField(label=_("Criterion"), queryset=Criterion.objects.none())
    outcome = forms.CharField(
        label=_("Outcome of the discussion"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["criterion"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Criterion.objects.filter(pk__in=[c.pk for c in criteria])


class SelectionForm(forms.Form):
    """The proposal as a form: a start year (or none) and a reason per application."""

    accept_warnings = forms.BooleanField(
        label=_("Confirm even though the selection breaks the rules listed above"), required=False
    )

    def __init__(
        self,
        *args: Any,
        rows: list[tuple[Application, int | None]],
        years: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        choices = [("", _("not selected")), *[(str(year), str(year)) for year in years]]
        for application, proposed in rows:
            self.fields[f"year_{application.pk}"] = forms.TypedChoiceField(
                label=application.municipality.name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=proposed,
            )
            self.fields[f"reason_{application.pk}"] = forms.CharField(
                label=_("Reason for a change"), required=False
            )

    def start_years(self) -> dict[int, int | None]:
        return {app.pk: self.cleaned_data[f"year_{app.pk}"] for app, _proposed in self.rows}

    def reasons(self) -> dict[int, str]:
        return {app.pk: self.cleaned_data[f"reason_{app.pk}"] for app, _proposed in self.rows}
