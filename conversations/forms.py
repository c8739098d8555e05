from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from conversations.models import MAX_ATTACHMENTS, MAX_MESSAGE_LENGTH
from turvaportaal.lib.files import MultipleFileField


def _attachments_help() -> str:
    return str(
        _(
            "Optional. PDF, PNG or JPEG files named as what they are: at most %(count)s, each at "
            "most %(size)s."
        )
        % {"count": MAX_ATTACHMENTS, "size": filesizeformat(settings.MAX_UPLOAD_BYTES)}
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the message.")},
    )
    attachments = MultipleFileField(
        label=_("Files to attach"),
        required=False,
        help_text=lazy(_attachments_help, str)(),
    )
