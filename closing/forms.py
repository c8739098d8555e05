from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from actionplans.models import Activity

TEXT_LIMIT = 10_000


class ReportForm(forms.Form):
    """The final report's answers: per planned activity, done or not and a comment; what the
    municipality keeps doing; the lessons for others. Saved as a draft, each may be empty until
    the report is submitted."""

    continuation = forms.CharField(
        label=_("What will the municipality keep doing after the programme?"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    lessons = forms.CharField(
        label=_("What should other municipalities learn from your work?"),
        help_text=_("These lessons may become a good practice in the library."),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(
        self, *args: Any, activities: list[tuple[Activity, bool, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.activities = [activity for activity, _done, _comment in activities]
        for activity, is_done, comment in activities:
            self.fields[f"done_{activity.pk}"] = forms.BooleanField(
                label=_("Done"), required=False, initial=is_done
            )
            self.fields[f"comment_{activity.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=TEXT_LIMIT,
                initial=comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def activity_rows(self) -> list[tuple[Activity, forms.BoundField, forms.BoundField]]:
        return [
            (activity, self[f"done_{activity.pk}"], self[f"comment_{activity.pk}"])
            for activity in self.activities
        ]

    def results(self) -> dict[int, tuple[bool, str]]:
        """Per activity id: done, and the comment."""
        return {
            activity.pk: (
                self.cleaned_data[f"done_{activity.pk}"],
                self.cleaned_data[f"comment_{activity.pk}"],
            )
            for activity in self.activities
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what should change.")},
    )
