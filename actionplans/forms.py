from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from actionplans.models import (
    ActionPlan,
    Activity,
    Goal,
    Indicator,
    Measurement,
    PlanIndicator,
    RootCause,
    SafetyBody,
)
from programme.models import PartnerAgency
from turvaportaal.lib.dates import DateField
from turvaportaal.lib.formsets import row_formset
from turvaportaal.lib.ids import ModelMultipleIdField


class PlanTextForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["safety_field", "situation", "data_sources", "outlook"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


BodyFormSet = row_formset(
    ActionPlan,
    SafetyBody,
    fields=["name", "role", "members"],
    extra=1,
    can_delete=True,
)
GoalFormSet = row_formset(
    ActionPlan,
    Goal,
    fields=["title"],
    extra=1,
    can_delete=True,
)


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("Problem"), max_length=300)


class RootCauseForm(forms.ModelForm):
    class Meta:
        model = RootCause
        fields = ["problem", "title"]

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = plan.problems.all()  # type: ignore[attr-defined]


class ActivityForm(forms.ModelForm):
    partners = ModelMultipleIdField(
        label=_("Partner agencies"),
        queryset=PartnerAgency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    causes = ModelMultipleIdField(
        label=_("Root causes addressed"),
        queryset=RootCause.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "goal",
            "component",
            "causes",
            "start_month",
            "end_month",
            "responsible",
            "partners",
            "planned_cost",
            "status",
            "cancel_reason",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "cancel_reason": forms.Textarea(attrs={"rows": 1}),
            "planned_cost": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.all()  # type: ignore[attr-defined]
        self.fields["causes"].queryset = RootCause.objects.filter(  # type: ignore[attr-defined]
            problem__plan=plan
        )
        for name in ["start_month", "end_month"]:
            self.fields[name].widget.attrs.update({"min": 1, "max": 24})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_month"), cleaned.get("end_month")
        if end and end > 24:
            self.add_error("end_month", _("The plan covers the programme's 24 months."))
        if start and end and end < start:
            self.add_error("end_month", _("The end month cannot be before the start month."))
        if (
            cleaned.get("status") == Activity.Status.CANCELLED
            and not cleaned.get("cancel_reason", "").strip()
        ):
            self.add_error("cancel_reason", _("A cancelled activity needs the reason."))
        return cleaned


ActivityFormSet = row_formset(
    ActionPlan,
    Activity,
    form=ActivityForm,
    extra=1,
    can_delete=True,
)


class PlanIndicatorForm(forms.ModelForm):
    class Meta:
        model = PlanIndicator
        fields = ["indicator", "baseline_value", "baseline_on", "target_value", "target_on"]
        field_classes = {"baseline_on": DateField, "target_on": DateField}

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["indicator"].queryset = Indicator.objects.available_to(  # type: ignore[attr-defined]
            plan.participation.municipality_id
        ).exclude(pk__in=plan.indicators.values("indicator"))


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["plan_indicator", "measured_on", "value", "source_note"]
        field_classes = {"measured_on": DateField}

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_indicator"].queryset = plan.indicators.select_related(  # type: ignore[attr-defined]
            "indicator"
        )
        self.fields["plan_indicator"].label = _("Indicator")


class OwnIndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_et",
            "name_en",
            "unit",
            "other_unit",
            "source_agency",
            "frequency",
            "lower_is_better",
        ]


class CatalogueIndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name_et",
            "name_en",
            "unit",
            "other_unit",
            "source_agency",
            "frequency",
            "lower_is_better",
            "lowest_grain",
        ]


class CsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: indicator (code), date (YYYY-MM-DD), value, source."),
    )


class NarrativeForm(forms.Form):
    narrative = forms.CharField(
        label=_("What happened this quarter"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what should change.")},
    )


class TargetsForm(forms.Form):
    """Each monitored indicator's target for the end of each calendar year; empty: none yet."""

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = plan.participation.calendar_years
        self.monitored = list(
            plan.indicators.select_related("indicator").prefetch_related("yearly_targets")
        )
        for monitored in self.monitored:
            set_before = {target.year: target.value for target in monitored.yearly_targets.all()}
            for year in self.years:
                self.fields[f"target_{monitored.pk}_{year}"] = forms.DecimalField(
                    label=f"{monitored.indicator}, {year}",
                    required=False,
                    max_digits=12,
                    decimal_places=3,
                    localize=True,
                    initial=set_before.get(year),
                    error_messages={
                        "invalid": _("Write the target as a number, for example 12.5."),
                        "max_digits": _("The target has too many digits."),
                        "max_decimal_places": _("Give the target with at most 3 decimals."),
                    },
                )

    def rows(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """Each indicator with its field for each year, for a table."""
        return [
            (monitored, [self[f"target_{monitored.pk}_{year}"] for year in self.years])
            for monitored in self.monitored
        ]

    def targets(self) -> dict[tuple[int, int], Decimal | None]:
        return {
            (monitored.pk, year): self.cleaned_data[f"target_{monitored.pk}_{year}"]
            for monitored in self.monitored
            for year in self.years
        }
