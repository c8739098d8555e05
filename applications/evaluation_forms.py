from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from applications.models import Application, Criterion
from programme.models import Call
from turvaportaal.lib.formsets import row_formset


class LevelsField(forms.CharField):
    """A criterion's score level descriptions as lines of text: the first line describes 0,
    the next 1, and so on; an empty line leaves its score undescribed."""

    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, **kwargs: Any) -> None:
        # What the model's JSONField passes for a form field of its own kind.
        for name in ("encoder", "decoder", "max_length", "show_hidden_initial"):
            kwargs.pop(name, None)
        kwargs["help_text"] = kwargs.get("help_text") or _(
            "One line a score, from 0 up: the first line describes 0, the second 1, and so on."
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(line) for line in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return [str(line).strip() for line in value]
        lines = [line.strip() for line in (super().to_python(value) or "").splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def has_changed(self, initial: Any, data: Any) -> bool:
        return (initial or []) != self.to_python(data)


CriterionFormSet = row_formset(
    Call,
    Criterion,
    fields=[
        "name_et",
        "name_en",
        "description_et",
        "description_en",
        "subject",
        "levels_et",
        "levels_en",
        "weight",
        "scale_max",
        "order",
    ],
    widgets={
        "description_et": forms.Textarea(attrs={"rows": 2}),
        "description_en": forms.Textarea(attrs={"rows": 2}),
    },
    field_classes={"levels_et": LevelsField, "levels_en": LevelsField},
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


class AssignManyForm(forms.Form):
    """Evaluators for many applications of a call at once: every chosen evaluator to every
    chosen application (applications.evaluation.assign_evaluators says which pairs it made).
    The application boxes stand in the overview's rows (their ids: id_applications_<n>)."""

    applications = forms.ModelMultipleChoiceField(
        label=_("Applications"),
        queryset=Application.objects.none(),
        error_messages={"required": _("Tick at least one application in the table.")},
    )
    evaluators = forms.ModelMultipleChoiceField(
        label=_("Evaluators"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one evaluator.")},
    )

    def __init__(
        self,
        *args: Any,
        applications: QuerySet[Application],
        evaluators: list[User],
        **kwargs: Any,
    ) -> None:
        """evaluators: those shown as choices (AssignForm.for_applications of the page's rows);
        any active ministry member or county evaluator is taken, a county evaluator's county
        being the service's question, answered pair by pair."""
        super().__init__(*args, **kwargs)
        chosen = self.fields["applications"]
        assert isinstance(chosen, forms.ModelMultipleChoiceField)
        chosen.queryset = applications
        field = self.fields["evaluators"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = User.objects.filter(
            is_active=True, role__in=[Role.MINISTRY, Role.COUNTY_EVALUATOR]
        ).order_by("full_name", "pk")
        # The shown choices come from the list given: no query of their own.
        field.choices = [(user.pk, field.label_from_instance(user)) for user in evaluators]

    def chosen_ids(self) -> set[int]:
        """The applications ticked, to tick them again when the page comes back with errors."""
        values = self["applications"].value() or []
        return {int(value) for value in values if str(value).isdigit()}


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this application?"),
        choices=[("no", _("No, I have no conflict of interest")), ("yes", _("Yes, I have"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class LevelRadioSelect(forms.RadioSelect):
    """A score's radio buttons, each with the description of its level as its hint."""

    template_name = "forms/widgets/score_levels.html"

    def __init__(self, *args: Any, hints: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hints = hints

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        hint = self.hints.get(int(option["value"]), "")
        if hint and option["attrs"].get("id"):
            option["hint"] = hint
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_hint"
        return option


class ScoreForm(forms.Form):
    """One score and comment per criterion of the call."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            levels = criterion.levels
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=[(value, value) for value, _text in levels],
                coerce=int,
                widget=LevelRadioSelect(hints=dict(levels)),
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

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


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
