from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked that the law allows erasing this person's data"),
        error_messages={"required": _("Confirm that the law allows the erasure.")},
    )
