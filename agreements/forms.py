from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Amendment
from turvaportaal.lib.dates import DateField

CONTAINER_LABEL = _("Signed container (.asice or .bdoc, at most 10 MB)")
CONTAINER_ACCEPT = ".asice,.bdoc,application/vnd.etsi.asic-e+zip"


def container_field() -> forms.FileField:
    return forms.FileField(
        label=CONTAINER_LABEL,
        widget=forms.ClearableFileInput(attrs={"accept": CONTAINER_ACCEPT}),
        help_text=_(
            "The agreement as the parties signed it digitally (DigiDoc4: ID card, Mobile-ID or "
            "Smart-ID). The portal checks the signatures and shows who signed."
        ),
    )


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "number",
            "signed_on",
            "start_on",
            "end_on",
            "ministry_name",
            "ministry_signatory",
            "municipality_signatory",
            "grant_amount",
            "flexible_share",
        ]
        field_classes = {"signed_on": DateField, "start_on": DateField, "end_on": DateField}
        help_texts = {
            "signed_on": _("Left empty, it is taken from the signatures when they are stored."),
            "flexible_share": _(
                "Between 0 and 100; the ESF+ partnership agreements usually allow 10 %."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        amount = self.fields["grant_amount"]
        amount.error_messages["invalid"] = _("Enter the amount as a number, e.g. 35000.00.")
        self.fields["flexible_share"].widget.attrs.update({"min": "0", "max": "100"})

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start_on"), cleaned.get("end_on")
        if start and end and end <= start:
            self.add_error("end_on", _("The end date must be after the start date."))
        return cleaned


class SignedAgreementForm(forms.Form):
    file = container_field()


class AmendmentForm(forms.ModelForm):
    file = container_field()

    class Meta:
        model = Amendment
        fields = ["dated_on", "changes"]
        field_classes = {"dated_on": DateField}
        widgets = {"changes": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "changes": _("What the amendment changes: the terms, the budget lines, the dates.")
        }
