"""Posting in a participation's thread: the message and its files in one transaction, recorded
in the audit log, and the thread's other parties told."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from audit.models import Action
from audit.services import record
from conversations import rules
from conversations.models import MAX_ATTACHMENTS, MAX_MESSAGE_LENGTH, Attachment, Message
from notifications.models import Kind
from notifications.services import (
    ministry_staff,
    municipality_people,
    notify,
    provider_people,
)
from programme.models import Participation
from turvaportaal.lib.rules import require
from turvaportaal.lib.uploads import document_suffix, sha256_of, validate_document

SIDE_OF_ROLE = {
    Role.MUNICIPALITY: Message.Side.MUNICIPALITY,
    Role.PROVIDER: Message.Side.PROVIDER,
    Role.MINISTRY: Message.Side.MINISTRY,
}


def check_attachments(files: Sequence[UploadedFile]) -> None:
    """At most MAX_ATTACHMENTS files, each a real PDF, PNG or JPEG within the size limit and
    named as what it is; every refused file is named with the reason."""
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": _("Attach at most %(count)s files to one message.")
                % {"count": MAX_ATTACHMENTS}
            }
        )
    refusals = []
    for uploaded in files:
        try:
            validate_document(uploaded)
        except ValidationError as error:
            refusals.append(
                _("%(file)s: %(reason)s") % {"file": uploaded.name, "reason": error.messages[0]}
            )
    if refusals:
        raise ValidationError({"attachments": refusals})


def _store(message: Message, uploaded: UploadedFile, user: User) -> Attachment:
    attachment = Attachment(
        message=message,
        original_name=(uploaded.name or "document")[-255:],
        size=uploaded.size or 0,
        sha256=sha256_of(uploaded),
    )
    attachment.file.save(f"attachment{document_suffix(uploaded)}", uploaded, save=False)
    attachment.save()
    record(
        user,
        Action.UPLOAD,
        obj=attachment,
        detail=attachment.original_name,
        after={"message": message.pk, "size": attachment.size, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def post_message(
    *,
    participation: Participation,
    user: User,
    body: str,
    attachments: Sequence[UploadedFile] = (),
) -> Message:
    """Post a message, with its files, in the participation's thread, and tell the thread's
    other parties. Every file is checked by its content before anything is saved."""
    require(rules.may_post(user, participation))
    text = body.strip()
    if not text:
        raise ValidationError({"body": _("Write the message.")})
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {
                "body": _("A message is at most %(max)s characters long; this one is %(length)s.")
                % {"max": MAX_MESSAGE_LENGTH, "length": len(text)}
            }
        )
    files = list(attachments)
    check_attachments(files)
    message = Message.objects.create(
        participation=participation, author=user, side=SIDE_OF_ROLE[Role(user.role)], body=text
    )
    stored = [_store(message, uploaded, user) for uploaded in files]
    # The text stays out of the log, which administrators read and the thread is not theirs.
    record(
        user,
        Action.STATE_CHANGE,
        obj=message,
        detail=gettext_noop("message posted"),
        after={
            "participation": participation.pk,
            "side": message.side,
            "characters": len(text),
            "attachments": [
                {"name": a.original_name, "size": a.size, "sha256": a.sha256} for a in stored
            ],
        },
    )
    notify(
        Kind.MESSAGE_POSTED,
        recipients=[
            *municipality_people(participation.municipality),
            *provider_people(participation),
            *ministry_staff(),
        ],
        about=message,
        link=reverse("conversation", args=[participation.pk]) + f"#message-{message.pk}",
        actor=user,
    )
    return message
