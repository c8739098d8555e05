"""Every form field takes no more than its column holds.

Each form of the apps is walked (their forms modules, the formsets' row forms too) and each field
compared with the column it is saved into: text no longer than the column, decimals of no more
digits before or after the point, whole numbers within the column's range, and dates only in the
programme's years (turvaportaal.lib.dates). A form that let more through would answer with a 500
when the database refuses the value, or save a date that breaks every page that shows it.

A ModelForm's field is saved into the model's field of its name. A plain form says here where
its fields go (COLUMNS), or that it saves nothing (SAVES_NOTHING): a new plain form, or a new
field of one, fails until it is placed.
"""

import importlib
from datetime import date, datetime
from decimal import Decimal
from fnmatch import fnmatchcase
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.utils.translation import override

from actionplans.forms import ActivityForm
from applications.evaluation_forms import ScoreForm, SelectionForm
from applications.models import Application, Criterion
from grants.forms import BudgetChangeForm
from grants.models import BudgetLine, YearMoney, YearOverview
from programme.models import Municipality
from turvaportaal.lib.dates import FIRST_YEAR, LAST_YEAR

TALLINN = ZoneInfo("Europe/Tallinn")

FORM_MODULES = [
    "accounts.forms",
    "agreements.forms",
    "actionplans.forms",
    "applications.forms",
    "applications.evaluation_forms",
    "conversations.forms",
    "counselling.forms",
    "grants.forms",
    "inquiries.forms",
    "learning.forms",
    "practices.forms",
    "programme.forms",
    "reports.forms",
]

# Where a plain form's fields are saved: "module.Form.field" (a pattern for the fields a form
# makes per row) to "app.Model.field", each column the field's value goes into.
COLUMNS = {
    # The signed container: checked and stored under a name of its own.
    "agreements.forms.AmendmentForm.file": [],
    # Sent to the applicants in the notice of a moved deadline; kept in no column.
    "programme.forms.CallForm.deadline_change_reason": [],
    "actionplans.forms.ProblemForm.title": ["actionplans.Problem.title"],
    "actionplans.forms.NarrativeForm.narrative": ["actionplans.ProgressUpdate.narrative"],
    "actionplans.forms.ReturnForm.comment": [
        "actionplans.ActionPlan.return_comment",
        "actionplans.ProgressUpdate.review_comment",
    ],
    "applications.evaluation_forms.ConsensusForm.outcome": ["applications.ConsensusRecord.outcome"],
    "applications.evaluation_forms.ScoreForm.comment_*": ["applications.Score.comment"],
    "applications.evaluation_forms.SelectionForm.reason_*": [
        "applications.SelectionDecision.change_reason"
    ],
    "conversations.forms.MessageForm.body": ["conversations.Message.body"],
    "counselling.forms.AttendeeForm.name": ["counselling.Attendee.name"],
    "counselling.forms.AttendeeForm.role": ["counselling.Attendee.role"],
    "counselling.forms.NextStepForm.description": ["counselling.NextStep.description"],
    "counselling.forms.NextStepForm.owner": ["counselling.NextStep.owner"],
    "counselling.forms.NextStepForm.due_on": ["counselling.NextStep.due_on"],
    "counselling.forms.AnswerForm.comment": ["counselling.CounsellingSession.dispute_comment"],
    "grants.forms.ExpenditureForm.amount": ["grants.LedgerEntry.amount"],
    "grants.forms.ExpenditureForm.entry_on": ["grants.LedgerEntry.entry_on"],
    "grants.forms.ExpenditureForm.description": ["grants.LedgerEntry.description"],
    "grants.forms.ExpenditureForm.supplier": ["grants.LedgerEntry.supplier"],
    "grants.forms.ExpenditureForm.invoice_number": ["grants.LedgerEntry.invoice_number"],
    "grants.forms.DisbursementForm.amount": ["grants.LedgerEntry.amount"],
    "grants.forms.DisbursementForm.entry_on": ["grants.LedgerEntry.entry_on"],
    "grants.forms.DisbursementForm.tranche": ["grants.LedgerEntry.tranche"],
    # The reason of a review and of a budget change's decision.
    "grants.forms.ReasonForm.reason": [
        "grants.ExpenditureReview.reason",
        "grants.BudgetChange.decision_reason",
    ],
    # A reversal's reason is the reversal entry's description.
    "grants.forms.ReversalForm.reason": ["grants.LedgerEntry.description"],
    "grants.forms.BudgetChangeForm.reason": ["grants.BudgetChange.reason"],
    "grants.forms.BudgetChangeForm.line_*": ["grants.BudgetLine.amount"],
    "grants.forms.ClaimForm.period_start": ["grants.PaymentClaim.period_start"],
    "grants.forms.ClaimForm.period_end": ["grants.PaymentClaim.period_end"],
    "grants.forms.ClaimForm.forecast_amount": ["grants.PaymentClaim.forecast_amount"],
    "grants.forms.ClaimForm.forecast_note": ["grants.PaymentClaim.forecast_note"],
    # A claim line's decision is the expenditure's review.
    "grants.forms.LineReviewForm.accepted_amount": ["grants.ExpenditureReview.accepted_amount"],
    "grants.forms.LineReviewForm.reason": ["grants.ExpenditureReview.reason"],
    "inquiries.forms.AskForm.question": ["inquiries.InformationRequest.question"],
    "inquiries.forms.AnswerForm.answer": ["inquiries.InformationRequest.answer"],
    "learning.forms.RegistrationForm.name": ["learning.TrainingParticipant.name"],
    "learning.forms.RegistrationForm.role": ["learning.TrainingParticipant.role"],
    "practices.forms.ReturnForm.comment": ["practices.Practice.return_comment"],
    "reports.forms.PeriodForm.period_start": ["reports.Report.period_start"],
    "reports.forms.PeriodForm.period_end": ["reports.Report.period_end"],
    "reports.forms.MunicipalityReportForm.period_start": ["reports.Report.period_start"],
    "reports.forms.MunicipalityReportForm.period_end": ["reports.Report.period_end"],
}

# Plain forms whose values are no column's: a code, a file checked and stored under a name of
# its own, choices of rows or of a list.
SAVES_NOTHING = {
    "accounts.forms.SecondFactorForm",
    # The password sign-in: checks the e-mail and password, saves neither.
    "accounts.forms.SignInForm",
    "actionplans.forms.CsvForm",
    "agreements.forms.SignedAgreementForm",
    "applications.forms.CouncilDecisionForm",
    "applications.evaluation_forms.AssignForm",
    "applications.evaluation_forms.ConflictForm",
    "counselling.forms.StepStatusForm",
    "learning.forms.AttendanceForm",
    "programme.forms.ProviderAssignmentForm",
}

# Forms that make a field per row in __init__: built with one row each.
FORM_WITH_ROWS = {
    ScoreForm: lambda: ScoreForm(criteria=[Criterion(pk=1, name_et="Eesmärgid", scale_max=5)]),
    SelectionForm: lambda: SelectionForm(
        rows=[(Application(pk=1, municipality=Municipality(name="Rapla vald")), None)],
        years=[2026],
    ),
    BudgetChangeForm: lambda: BudgetChangeForm(
        overview=YearOverview(
            years=[2026],
            lines=[
                (
                    BudgetLine(pk=1, category="staff", description="Töötasu", amount=Decimal(10)),
                    [YearMoney(Decimal(10), Decimal(0))],
                    YearMoney(Decimal(10), Decimal(0)),
                )
            ],
            by_year=[YearMoney(Decimal(10), Decimal(0))],
            whole=YearMoney(Decimal(10), Decimal(0)),
        )
    ),
}

# Fields whose value has a length, a size or a date: the ones a column limits.
TEMPORAL = (forms.DateField, forms.DateTimeField)
LIMITED = (forms.CharField, forms.IntegerField, *TEMPORAL)  # DecimalField is an IntegerField


def form_classes() -> dict[str, type[forms.BaseForm]]:
    """The forms of the apps' forms modules by "module.Form", with the row forms of their
    formsets; one a factory made (or subclassed from the module's) is "module.FormSet.form"."""
    found: dict[str, type[forms.BaseForm]] = {}
    for module_name in FORM_MODULES:
        module = vars(importlib.import_module(module_name))
        for name, value in module.items():
            if not isinstance(value, type) or not value.__module__.startswith(
                (module_name, "django.")
            ):
                continue  # imported from another module of the portal
            if issubclass(value, forms.BaseForm) and value.__module__ == module_name:
                found[f"{module_name}.{name}"] = value
            elif issubclass(value, forms.BaseFormSet) and hasattr(value, "form"):
                row = value.form
                own = module.get(row.__name__) is row  # the module's form itself
                found[f"{module_name}.{row.__name__ if own else name + '.form'}"] = row
    return found


FORMS = form_classes()


def column(path: str) -> models.Field:
    app_label, model_name, field_name = path.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


def fields_of(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    build = FORM_WITH_ROWS.get(form_class)
    return dict(build().fields) if build else dict(form_class.base_fields)


def columns_of(
    form_label: str, form_class: type[forms.BaseForm], name: str
) -> list[models.Field] | None:
    """The columns a form field is saved into, or None where nothing says."""
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    if model is not None:
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            found = None
        if isinstance(found, models.Field) and found.concrete:
            return [found]
    key = f"{form_label}.{name}"
    for pattern, paths in COLUMNS.items():
        if fnmatchcase(key, pattern):
            return [column(path) for path in paths]
    return None


def value_range(validators: list[Any]) -> tuple[Any, Any]:
    lows = [v.limit_value for v in validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
    return (max(lows) if lows else None, min(highs) if highs else None)


def refuses(field: forms.Field, value: Any) -> bool:
    try:
        field.clean(value)
    except ValidationError:
        return True
    return False


def drift(field: forms.Field, target: models.Field, *, model_checks: bool) -> list[str]:
    """How the form field lets through more than the column holds. model_checks: a ModelForm
    runs the model field's own validators as well."""
    where = f"{target.model._meta.label}.{target.name}"
    found = []
    if isinstance(field, TEMPORAL):
        dated = isinstance(field, forms.DateTimeField)

        def day(year: int, month: int, dom: int) -> date:
            noon = datetime(year, month, dom, 12, tzinfo=TALLINN)
            return noon if dated else noon.date()

        if not refuses(field, day(FIRST_YEAR - 1, 12, 31)) or not refuses(
            field, day(LAST_YEAR + 1, 1, 1)
        ):
            found.append(f"takes dates outside {FIRST_YEAR}–{LAST_YEAR}: use lib.dates' field")
        elif refuses(field, day(FIRST_YEAR, 1, 1)) or refuses(field, day(LAST_YEAR, 12, 31)):
            found.append(f"refuses dates within {FIRST_YEAR}–{LAST_YEAR}")
    elif isinstance(field, forms.CharField) and target.max_length is not None:
        if field.max_length is None or field.max_length > target.max_length:
            found.append(f"max_length {field.max_length}, {where} holds {target.max_length}")
    elif isinstance(field, forms.DecimalField) and isinstance(target, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        if digits is None or places is None:
            found.append(f"no max_digits or decimal_places, {where} is {target.max_digits}")
        elif places > target.decimal_places or digits - places > (
            target.max_digits - target.decimal_places
        ):
            found.append(
                f"{digits} digits, {places} decimals: {where} has {target.max_digits}, "
                f"{target.decimal_places}"
            )
    elif isinstance(field, forms.IntegerField) and isinstance(target, models.IntegerField):
        column_low, column_high = connection.ops.integer_field_range(target.get_internal_type())
        validators = [*field.validators, *(target.validators if model_checks else [])]
        low, high = value_range(validators)
        if low is None or high is None or low < column_low or high > column_high:
            found.append(f"takes {low}..{high}, {where} holds {column_low}..{column_high}")
    return found


def problems(form_label: str, form_class: type[forms.BaseForm]) -> list[str]:
    is_model_form = issubclass(form_class, forms.BaseModelForm)
    found = []
    for name, field in fields_of(form_class).items():
        if not isinstance(field, LIMITED):
            continue
        targets = columns_of(form_label, form_class, name)
        if targets is None:
            found.append(f"{name}: say in COLUMNS which column it is saved into")
            continue
        for target in targets:
            found += [f"{name}: {p}" for p in drift(field, target, model_checks=is_model_form)]
    return found


def test_the_walk_finds_the_forms_and_their_row_forms():
    """The control for the walk: plain forms, ModelForms and the rows of a formset."""
    assert {
        "grants.forms.ReversalForm",
        "learning.forms.TrainingForm",
        "counselling.forms.NextStepForm",
        "applications.evaluation_forms.ConsensusForm",
    } <= set(FORMS)
    assert "starts_at" in FORMS["programme.forms.InfoSessionFormSet.form"].base_fields
    assert issubclass(FORMS["actionplans.forms.ActivityFormSet.form"], ActivityForm)
    assert not SAVES_NOTHING - set(FORMS), "these forms are gone"
    placed = {pattern.rsplit(".", 1)[0] for pattern in COLUMNS}
    assert not placed - set(FORMS), "COLUMNS names forms that are gone"


@pytest.mark.parametrize("name", sorted(set(FORMS) - SAVES_NOTHING))
def test_each_field_takes_no_more_than_its_column(name):
    with override("en"):
        found = problems(name, FORMS[name])
    assert not found, f"{name}: {found}"


class Drifted(forms.Form):
    """A reversal's reason of 1000 characters for a description of 300, a plain date field and
    a tranche without a ceiling: what the check must catch."""

    reason = forms.CharField(max_length=1000)
    entry_on = forms.DateField()
    tranche = forms.IntegerField(min_value=1)
    amount = forms.DecimalField(max_digits=14, decimal_places=2)
    unplaced = forms.CharField(max_length=10)


def test_a_field_that_drifts_from_its_column_is_caught(monkeypatch):
    key = "tests.Drifted"
    monkeypatch.setitem(COLUMNS, f"{key}.reason", ["grants.LedgerEntry.description"])
    monkeypatch.setitem(COLUMNS, f"{key}.entry_on", ["grants.LedgerEntry.entry_on"])
    monkeypatch.setitem(COLUMNS, f"{key}.tranche", ["grants.LedgerEntry.tranche"])
    monkeypatch.setitem(COLUMNS, f"{key}.amount", ["grants.LedgerEntry.amount"])
    with override("en"):
        found = problems(key, Drifted)
    assert found == [
        "reason: max_length 1000, grants.LedgerEntry.description holds 300",
        f"entry_on: takes dates outside {FIRST_YEAR}–{LAST_YEAR}: use lib.dates' field",
        "tranche: takes 1..None, grants.LedgerEntry.tranche holds 0..32767",
        "amount: 14 digits, 2 decimals: grants.LedgerEntry.amount has 12, 2",
        "unplaced: say in COLUMNS which column it is saved into",
    ]
