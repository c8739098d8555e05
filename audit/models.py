"""The audit log: who signed in, was refused, changed what, uploaded, downloaded or exported,
and when. Append-only: the database refuses UPDATE and DELETE on it, and TRUNCATE on PostgreSQL
(migrations 0002 and 0003).

Every domain app records into it through ``audit.services.record``; the log imports none of
them and names the object it is about by its model label and primary key, so a record outlives
whatever it describes."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    SIGN_IN = "sign_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    SIGN_OUT = "sign_out", _("signed out")
    ACCESS_REFUSED = "access_refused", _("access refused")
    STATE_CHANGE = "state_change", _("changed")
    UPLOAD = "upload", _("uploaded a file")
    DOWNLOAD = "download", _("downloaded a file")
    EXPORT = "export", _("exported")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def newest_first(self) -> "AuditEventQuerySet":
        """The log as admins read it: newest first, with the people who acted."""
        return self.select_related("actor").order_by("-at", "-pk")

    def about(self, obj: models.Model) -> "AuditEventQuerySet":
        """The records of one object."""
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now)
    # PROTECT: someone who acted in the portal is deactivated, never deleted; SET_NULL would
    # be an UPDATE of the log, which the database refuses anyway.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The e-mail at the time, or as typed in a failed sign-in (no user then).
    actor_label = models.CharField(_("who (e-mail)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=255, blank=True)
    # What happened in a few words (an English message id, translated when shown), or the
    # name of the file.
    detail = models.CharField(_("what"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_newest_first"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["action", "-at"], name="audit_action"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.get_action_display()} "
            f"{self.object_label}"
        )

    def _model(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.object_type) if self.object_type else None
        except (LookupError, ValueError):
            return None

    @property
    def object_type_name(self) -> str:
        """The object's kind in words (its model's verbose name), without a query."""
        model = self._model()
        return str(model._meta.verbose_name) if model is not None else self.object_type

    @property
    def detail_text(self) -> str:
        """What happened in the reader's language; a file's name as it is."""
        if self.action in FILE_ACTIONS:
            return self.detail
        return gettext(self.detail) if self.detail else ""

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field either side names, in a stable order."""
        before = self.before if isinstance(self.before, dict) else {}
        after = self.after if isinstance(self.after, dict) else {}
        keys = list(before) + [key for key in after if key not in before]
        return [(key, before.get(key), after.get(key)) for key in keys]

    def changes_in_words(self) -> list[tuple[str, Any, Any]]:
        """The changes as the reader reads them: a field of the object by its name, a choice
        by its label, in the reader's language; anything else as it was kept."""
        fields = {}
        model = self._model()
        if model is not None:
            fields = {f.name: f for f in model._meta.get_fields() if isinstance(f, models.Field)}
        return [
            (
                _field_name(fields.get(key), key),
                _in_words(fields.get(key), was),
                _in_words(fields.get(key), became),
            )
            for key, was, became in self.changes()
        ]


# Their detail is a file's name, never a message to translate.
FILE_ACTIONS = {Action.UPLOAD, Action.DOWNLOAD, Action.EXPORT}


def _field_name(field: models.Field | None, key: str) -> str:
    return str(field.verbose_name) if field is not None else key


def _in_words(field: models.Field | None, value: Any) -> Any:
    if isinstance(value, dict):
        # Keys of kept rows may be message ids (a budget line not yet allocated).
        return {gettext(key) if key else key: item for key, item in value.items()}
    if field is None or not field.choices or not isinstance(value, (str, int)):
        return value
    return dict(field.flatchoices).get(value, value)
