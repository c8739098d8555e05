"""A person's access request and erasure, each recorded in the audit log."""

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from django.apps import apps
from django.core.serializers import serialize
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from audit.models import Action
from audit.services import record, record_change
from conversations.models import Attachment
from privacy import pseudonyms, rules
from turvaportaal.lib.rules import require

# Never handed out, even to the person: password hashes, second-factor and session keys.
SECRET_FIELDS = {"password", "key", "token_hash", "session_key", "throttling_failure_count"}
# Rows of the person's that point at them through another row: the files of their messages.
THROUGH = [(Attachment, "message__author")]


def _rows_of(person: User) -> Iterator[tuple[type[models.Model], models.QuerySet]]:
    """Every row that points at the person, model by model, and the audit records about them."""
    user_model = type(person)
    for model in apps.get_models():
        links = [
            field.name
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is user_model
        ]
        if model is user_model:
            yield model, model._default_manager.filter(pk=person.pk)
        elif links:
            found = models.Q()
            for link in links:
                found |= models.Q(**{link: person})
            if model._meta.label_lower == "audit.auditevent":
                yield model, pseudonyms.audit_rows_about(person)
            else:
                yield model, model._default_manager.filter(found).order_by("pk")
    for model, lookup in THROUGH:
        yield model, model._default_manager.filter(**{lookup: person}).order_by("pk")


def _file_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name for field in model._meta.concrete_fields if isinstance(field, models.FileField)
    ]


def export_person(*, person: User, by: User) -> tuple[str, bytes]:
    """A ZIP of everything the portal holds about a person: their rows as JSON, one file a
    kind, and the files of those rows; the file name and the bytes."""
    require(rules.may_export(by, person))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for model, found in _rows_of(person):
            rows = list(found)
            if not rows:
                continue
            label = model._meta.label_lower
            fields = [
                field.name
                for field in model._meta.concrete_fields
                if field.name not in SECRET_FIELDS and not field.primary_key
            ]
            data = json.loads(serialize("json", rows, fields=fields))
            archive.writestr(f"{label}.json", json.dumps(data, ensure_ascii=False, indent=2))
            for row in rows:
                for name in _file_fields(model):
                    stored = getattr(row, name)
                    if stored:
                        _add_file(archive, f"files/{label}/{row.pk}/", stored)
    name = f"personal-data-{person.pk}-{timezone.localdate():%Y-%m-%d}.zip"
    record(by, Action.EXPORT, obj=person, detail=name)
    return name, buffer.getvalue()


def _add_file(archive: zipfile.ZipFile, folder: str, stored: Any) -> None:
    try:
        with stored.open("rb") as handle:
            archive.writestr(folder + PurePosixPath(stored.name).name, handle.read())
    except FileNotFoundError:
        # The row names a file the storage no longer has: the JSON says which.
        return


def erase_person(*, person: User, by: User) -> str:
    """Erase a person where the law allows it: the retention's anonymisation, now; the
    pseudonym that stands for them from now on."""
    with transaction.atomic():
        require(rules.may_erase(by, person))
        name = pseudonyms.anonymise_person(person)
        # Written after the rewrite, so it keeps who erased; it names the person by pseudonym.
        record_change(
            by, person, gettext_noop("personal data erased"), after={"pseudonym": name}, label=name
        )
        return name
