from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.forms import ParticipationChoiceField
from programme.models import Participation
from turvaportaal.lib.dates import DateField
from turvaportaal.lib.widgets import SearchSelect


class PeriodForm(forms.Form):
    period_start = DateField(label=_("From"))
    period_end = DateField(label=_("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period's start must be on or before its end."))
        return data


class MunicipalityReportForm(PeriodForm):
    participation = ParticipationChoiceField(
        label=_("Municipality"),
        queryset=Participation.objects.none(),
        widget=SearchSelect("participation_search"),
    )
    field_order = ["participation", "period_start", "period_end"]

    def __init__(self, *args: Any, participations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = participations.select_related("municipality").order_by(
            "municipality__name"
        )
        today = timezone.localdate()
        self.fields["period_start"].initial = today.replace(month=1, day=1)
        self.fields["period_end"].initial = today
