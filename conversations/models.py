"""A thread of messages on each participation, between the municipality, the service provider
assigned to it and the ministry: plain text with attached documents. A message is kept as it
was posted: nothing changes or removes it."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from programme.models import Participation, ParticipationQuerySet
from turvaportaal.lib.uploads import generated_path

if TYPE_CHECKING:
    from accounts.models import User

# A message's limits: its text, and the files attached to it (each within MAX_UPLOAD_BYTES).
MAX_MESSAGE_LENGTH = 10_000
MAX_ATTACHMENTS = 5


def readable_threads(user: "User") -> ParticipationQuerySet:
    """The participations whose thread the person reads and writes in: the municipality's own
    people, the people of the provider assigned to it now, and ministry staff. No one else, not
    administrators either: the thread is the parties' correspondence, and an administrator who
    keeps users and reference data is none of them."""
    participations = Participation.objects.all()
    if user.role == Role.MINISTRY:
        return participations
    if user.role == Role.MUNICIPALITY and user.municipality_id is not None:
        return participations.filter(municipality_id=user.municipality_id)
    if user.role == Role.PROVIDER and user.service_provider_id is not None:
        return participations.filter(service_provider_id=user.service_provider_id)
    return participations.none()


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, user: "User") -> "MessageQuerySet":
        """The messages of the threads the person takes part in (readable_threads)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(participation__in=readable_threads(user).values("pk"))

    def in_thread_order(self) -> "MessageQuerySet":
        """Oldest first, as a conversation reads; with the author and the files."""
        return (
            self.select_related("author__service_provider")
            .prefetch_related("attachments")
            .order_by("posted_at", "pk")
        )


class Message(models.Model):
    class Side(models.TextChoices):
        """Whom the author wrote for, as it was when the message was posted."""

        MUNICIPALITY = "municipality", _("municipality")
        PROVIDER = "provider", _("service provider")
        MINISTRY = "ministry", _("ministry")

    participation = models.ForeignKey(
        Participation,
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=_("participation"),
    )
    # PROTECT: a person who wrote is deactivated, never deleted; the thread keeps who wrote.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    side = models.CharField(_("on behalf of"), max_length=20, choices=Side.choices)
    body = models.TextField(_("message"), max_length=MAX_MESSAGE_LENGTH)
    posted_at = models.DateTimeField(_("posted"), default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["posted_at", "pk"]
        indexes = [
            models.Index(fields=["participation", "posted_at"], name="message_thread_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="message_body_not_empty"),
        ]

    def __str__(self) -> str:
        return str(self.participation.municipality)


def attachment_path(instance: "Attachment", filename: str) -> str:
    return generated_path(f"messages/{instance.message.participation_id}", filename)


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def visible_to(self, user: "User") -> "AttachmentQuerySet":
        """The files of the messages the person may read."""
        return self.filter(message__in=Message.objects.visible_to(user).values("pk"))


class Attachment(models.Model):
    """A document attached to a message: a PDF, or a PNG or JPEG image, checked by content."""

    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("message")
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
