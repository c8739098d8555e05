"""{% bootstrap_form %} and {% bootstrap_field %} write what crispy-bootstrap5 writes."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.html import parse_html

from turvaportaal.lib.fields import bootstrap_field, bootstrap_form
from turvaportaal.lib.widgets import DateInput


class EveryKindOfField(forms.Form):
    name = forms.CharField(label="Name", max_length=20, help_text="As in the register.")
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    amount = forms.DecimalField(label="Amount", decimal_places=2, min_value=0)
    held_on = forms.DateField(label="Held on", widget=DateInput(), required=False)
    county = forms.ChoiceField(label="County", choices=[("", "---"), ("1", "Harju")])
    small = forms.ChoiceField(
        label="Size",
        choices=[("s", "S"), ("m", "M")],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    agreed = forms.BooleanField(label="I agree", help_text="Needed.")
    optional_flag = forms.BooleanField(label="Optional", required=False)
    topics = forms.MultipleChoiceField(
        label="Topics",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        help_text="One or more.",
    )
    kind = forms.ChoiceField(
        label="Kind", choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect
    )
    attachment = forms.FileField(label="Attachment", required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise ValidationError(["The period is closed.", "Ask <the ministry>."])


def _same(ours: str, crispy: str) -> None:
    assert parse_html(ours) == parse_html(crispy)


@pytest.mark.parametrize(
    "form",
    [
        EveryKindOfField(),
        EveryKindOfField(initial={"name": "Rapla <vald>", "topics": ["b"], "agreed": True}),
        EveryKindOfField(data={}),
        EveryKindOfField(
            data={"name": "x" * 30, "amount": "-1", "topics": ["a"], "kind": "y", "agreed": "on"},
            files={"attachment": SimpleUploadedFile("a.pdf", b"%PDF-1.7")},
        ),
    ],
    ids=["unbound", "initial", "empty", "invalid"],
)
def test_the_same_markup_as_crispy(form):
    _same(bootstrap_form(form), as_crispy_form(form))
    for field in form:
        _same(bootstrap_field(field), as_crispy_field(field))
