"""The form renderer writes the commonest widgets in Python: the HTML must be the templates'."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from programme.models import BudgetCategory
from turvaportaal.lib.renderers import FormRenderer
from turvaportaal.lib.widgets import DateInput

TEMPLATES = DjangoTemplates()
IN_PYTHON = FormRenderer()

# Text as users type it, HTML's own characters included; no NUL, which no form accepts.
typed = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))

WIDGETS = [
    forms.TextInput(attrs={"class": "form-control", "maxlength": 200, "required": True}),
    forms.NumberInput(attrs={"step": "0.01", "disabled": True, "readonly": False}),
    forms.EmailInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.URLInput(),
    DateInput(),
    forms.CheckboxInput(),
    forms.Textarea(attrs={"rows": 3, "aria-describedby": "id_x_helptext"}),
    forms.Select(
        choices=[
            ("", "---------"),
            (1, "Harju"),
            (2, BudgetCategory.STAFF.label),
            ("<b>", "<b> & Co"),
        ]
    ),
    forms.Select(
        choices=[("Counties", [("1", "Harju"), ("2", "Tartu")]), ("x", "Other"), (2026, 2026)]
    ),
    forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]),
    forms.NullBooleanSelect(),
]


def _both(widget: forms.Widget, value: object) -> tuple[str, str]:
    attrs = {"id": "id_x", "aria-invalid": "true"}
    return (
        widget.render("x", value, attrs=attrs, renderer=TEMPLATES),
        widget.render("x", value, attrs=attrs, renderer=IN_PYTHON),
    )


@pytest.mark.parametrize("language", ["et", "en"])
@pytest.mark.parametrize("widget", WIDGETS, ids=lambda widget: type(widget).__name__)
@pytest.mark.parametrize(
    "value",
    [None, "", "Rapla vald", '"<script>&amp;', 0, 2, Decimal("1234.50"), True, False],
    ids=repr,
)
def test_the_same_html_as_the_templates(widget, value, language):
    with translation.override(language):
        from_templates, from_python = _both(widget, value)
    assert from_python == from_templates


def test_several_chosen_the_same():
    widget = forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    from_templates, from_python = _both(widget, ["a", "c"])
    assert from_python == from_templates
    assert from_python.count(" selected") == 2


@pytest.mark.parametrize("value", [datetime.date(2026, 11, 22), datetime.date(1999, 1, 2)])
def test_dates_the_same(value):
    from_templates, from_python = _both(DateInput(), value)
    assert from_python == from_templates


@given(value=typed, label=typed)
def test_any_typed_text_the_same(value, label):
    for widget in [
        forms.TextInput(attrs={"placeholder": label}),
        forms.Textarea(),
        forms.Select(choices=[(value, label), ("other", label)]),
    ]:
        from_templates, from_python = _both(widget, value)
        assert from_python == from_templates


def test_other_widgets_are_left_to_the_templates():
    widget = forms.RadioSelect(choices=[("a", "A"), ("b", "B")])
    from_templates, from_python = _both(widget, "a")
    assert from_python == from_templates
    assert '<input type="radio"' in from_python
