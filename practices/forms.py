from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from practices.models import Approach, JointForm, Practice
from programme.models import County, Municipality, PartnerAgency
from turvaportaal.lib.ids import ModelMultipleIdField
from turvaportaal.lib.widgets import SearchSelectMultiple


class PracticeForm(forms.ModelForm):
    """A practice's description. A municipality user's form has no county or municipalities:
    those are their own, set by the workflow."""

    joint_form = forms.ChoiceField(
        label=_("Form of joint activity"),
        choices=JointForm.choices,
        widget=forms.RadioSelect,
        help_text=_("From the least to the most joint; the list of practices explains each."),
    )
    approach = forms.ChoiceField(
        label=_("Approach by residents' participation"),
        choices=[("", _("not classified")), *Approach.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    partners = ModelMultipleIdField(
        label=_("Partner agencies"),
        queryset=PartnerAgency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all())
    municipalities = ModelMultipleIdField(
        label=_("Municipalities"),
        queryset=Municipality.objects.select_related("county"),
        widget=SearchSelectMultiple("municipality_search"),
        required=False,
        help_text=_("Today's municipalities where the practice takes place, in its county."),
    )

    class Meta:
        model = Practice
        fields = [
            "title",
            "place",
            "county",
            "municipalities",
            "joint_form",
            "approach",
            "description",
            "results",
            "partners",
            "other_partners",
            "contact",
            "source",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "results": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not user.has_programme_wide_access:
            del self.fields["county"]
            del self.fields["municipalities"]
            if not self.instance.pk and user.municipality is not None:
                self.initial.setdefault("place", user.municipality.name)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3})
    )
