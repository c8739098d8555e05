from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import BudgetLine, LedgerEntry, YearOverview
from programme.models import Participation
from turvaportaal.lib.dates import DateField

AMOUNT_ERRORS = {
    "max_decimal_places": _("Give the amount in euros and cents: at most 2 decimals."),
    "invalid": _("Enter the amount as a number, e.g. 1250.50."),
    "min_value": _("The amount must be more than zero."),
}


def amount_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages=AMOUNT_ERRORS,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
    )


class ExpenditureForm(forms.Form):
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    amount = amount_field(_("Amount (EUR)"))
    entry_on = DateField(label=_("Date"))
    description = forms.CharField(label=_("Description"), max_length=300)
    supplier = forms.CharField(label=_("Supplier"), max_length=200)
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=100)
    document = forms.FileField(
        label=_("Supporting document (PDF, PNG or JPEG, at most 10 MB)"), required=False
    )

    def __init__(self, *args: Any, participation: Participation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["budget_line"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = participation.budget_lines.all()


class DisbursementForm(forms.Form):
    amount = amount_field(_("Amount (EUR)"))
    entry_on = DateField(label=_("Date"))
    tranche = forms.IntegerField(label=_("Tranche"), min_value=1, max_value=32767, required=False)


class ReasonForm(forms.Form):
    """The reason for a review's or a budget change's decision."""

    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)


class ReversalForm(forms.Form):
    """The reason for a reversal: it is the reversal entry's description."""

    reason = forms.CharField(
        label=_("Reason for the reversal"),
        max_length=LedgerEntry._meta.get_field("description").max_length,
        error_messages={"required": _("Say why the entry is reversed.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BudgetChangeForm(forms.Form):
    """A new amount for each line in each year; the change moves the differences."""

    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, overview: YearOverview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.amounts: dict[tuple[int, int], Decimal] = {}
        for line, cells, _whole in overview.lines:
            for year, cell in zip(overview.years, cells, strict=True):
                self.amounts[line.pk, year] = cell.budget
                self.fields[f"line_{line.pk}_{year}"] = forms.DecimalField(
                    label=f"{line}, {year}",
                    max_digits=12,
                    decimal_places=2,
                    min_value=Decimal("0"),
                    initial=cell.budget,
                    error_messages=AMOUNT_ERRORS,
                )

    def deltas(self) -> dict[tuple[int, int], Decimal]:
        return {
            (pk, year): self.cleaned_data[f"line_{pk}_{year}"] - amount
            for (pk, year), amount in self.amounts.items()
        }


class ClaimForm(forms.Form):
    """A payment claim's period and the forecast of the next quarter's claims."""

    period_start = DateField(label=_("Period from"))
    period_end = DateField(label=_("Period to"))
    forecast_amount = forms.DecimalField(
        label=_("Forecast of the next quarter's claims (EUR)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        initial=Decimal("0.00"),
        error_messages={**AMOUNT_ERRORS, "min_value": _("The forecast cannot be negative.")},
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
    )
    forecast_note = forms.CharField(
        label=_("About the forecast"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The period must end on or after the day it starts."))
        return data


class ClaimLinesForm(forms.Form):
    """The expenditures to put in a claim: the workflow says why one may not be claimed."""

    entries = forms.ModelMultipleChoiceField(
        label=_("Expenditures"),
        queryset=LedgerEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose the expenditures to add to the claim."),
            "invalid_choice": _("That expenditure is not in this ledger."),
            "invalid_pk_value": _("That expenditure is not in this ledger."),
        },
    )

    def __init__(self, *args: Any, participation: Participation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entries"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = participation.ledger_entries.filter(kind=LedgerEntry.Kind.EXPENDITURE)


class LineReviewForm(forms.Form):
    """The ministry's decision on one line of a claim."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accepted", _("Accept")),
            ("part", _("Accept in part")),
            ("refused", _("Refuse")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the line is accepted, in part or refused.")},
    )
    accepted_amount = forms.DecimalField(
        label=_("Accepted part (EUR), when accepted in part"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        error_messages=AMOUNT_ERRORS,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
    )
    reason = forms.CharField(
        label=_("Reason (when accepted in part or refused)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
