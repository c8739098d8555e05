from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from actionplans.services import quarters
from evaluation.models import COUNT_FIELDS, count_labels

# A quarter's count of one municipality's work: more is a typing error.
MOST = 100_000


class CountsForm(forms.Form):
    """A quarter's Ringist Välja and STAD counts: whole numbers only, never free text."""

    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=date.fromisoformat)

    def __init__(self, *args: Any, start: date, end: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [  # type: ignore[attr-defined]
            (first.isoformat(), f"{first.year} Q{(first.month - 1) // 3 + 1}")
            for first in reversed(quarters(start, end))
        ]
        for name, label in zip(COUNT_FIELDS, count_labels(), strict=True):
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=MOST,
                initial=0,
            )

    def counts(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in COUNT_FIELDS}
