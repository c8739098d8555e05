from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Section

# A question or an answer is a few paragraphs; a longer text is an attachment.
TEXT_LIMIT = 5000


class AskForm(forms.Form):
    """The question, and for an application the parts its municipality may change meanwhile."""

    question = forms.CharField(
        label=_("Question to the municipality"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what is missing or unclear, and what the municipality should send."),
        error_messages={"required": _("Write the question to the municipality.")},
    )
    sections = forms.MultipleChoiceField(
        label=_("Parts of the application the municipality may change until it answers"),
        choices=Section.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked if only an answer is needed."),
    )

    def __init__(self, *args: Any, is_application: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_application:
            del self.fields["sections"]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the answer to the question.")},
    )
    attachment = forms.FileField(
        label=_("Attachment (optional: PDF, PNG or JPEG, at most 10 MB)"), required=False
    )
