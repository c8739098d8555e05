"""The one path by which personal data leaves the audit log and the ledger.

Both tables are append-only: the database refuses UPDATE and DELETE on them. Migration 0001 of
this app lets PostgreSQL take one kind of UPDATE: inside a transaction that has called
``rewriting_personal_data()``, and changing only the columns that hold people's names, e-mail
addresses, addresses and free text. Every other column (when, who by id, what, the amounts)
stays as written, and no row can be deleted, so counts and sums never change.

A person becomes a stable pseudonym: the same e-mail address always gives the same one, so the
log still reads as one person's story. Whoever holds PSEUDONYM_KEY can confirm that a pseudonym
stands for a given address; no one can read the address from it.
"""

import hashlib
import hmac
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from accounts.models import Invitation, User, UserSession
from audit.models import Action, AuditEvent
from grants.models import LedgerEntry

PSEUDONYM_PREFIX = "person-"
# An anonymised account's e-mail is its pseudonym at this domain, which can receive no mail.
ANONYMISED_DOMAIN = "anonymised.invalid"
# The columns that may be rewritten; the migration's triggers refuse a change to any other.
AUDIT_COLUMNS = ["actor_label", "object_label", "detail", "before", "after", "ip_address", "path"]
LEDGER_COLUMNS = ["description", "supplier", "document", "document_name"]
# Shorter names would match inside ordinary words.
SHORTEST_NAME = 4


def pseudonym(identity: str) -> str:
    """The stable pseudonym of an e-mail address (or anything typed as one)."""
    digest = hmac.new(
        settings.PSEUDONYM_KEY.encode(), identity.strip().lower().encode(), hashlib.sha256
    )
    return PSEUDONYM_PREFIX + digest.hexdigest()[:12]


@contextmanager
def rewriting_personal_data() -> Iterator[None]:
    """Open the narrow path for the rest of this transaction's block, and close it after."""
    if connection.vendor != "postgresql":
        raise ValidationError(
            _("Personal data in the audit log and the ledger is pseudonymised on PostgreSQL only.")
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('turvaportaal.pseudonymising', 'on', true)")
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('turvaportaal.pseudonymising', 'off', true)")


class Scrubber:
    """Replaces a person's e-mail address, full name and personal code in text with their
    pseudonym."""

    def __init__(self, email: str, full_name: str = "", personal_code: str | None = None) -> None:
        self.pseudonym = pseudonym(email)
        self.words = [email.strip()] + (
            [full_name.strip()] if len(full_name.strip()) >= SHORTEST_NAME else []
        )
        if personal_code:
            # As TARA gives it (EE38001085718) and as it is written without the country.
            self.words += [personal_code, personal_code[2:]]
        self.pattern = re.compile("|".join(re.escape(word) for word in self.words), re.IGNORECASE)

    @classmethod
    def of(cls, user: Any) -> "Scrubber":
        return cls(user.email, user.full_name, user.personal_code)

    def text(self, value: str) -> str:
        return self.pattern.sub(self.pseudonym, value)

    def value(self, value: Any) -> Any:
        """A JSON value with every string scrubbed, keys too."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {self.text(key): self.value(item) for key, item in value.items()}
        return value

    def mentions(self, *fields: str) -> Q:
        """Rows whose text fields name the person."""
        found = Q()
        for field in fields:
            for word in self.words:
                found |= Q(**{f"{field}__icontains": word})
        return found


def audit_rows_about(user: Any) -> Any:
    """The audit records that name a person: acted by them, about them, or mentioning them."""
    scrubber = Scrubber.of(user)
    return (
        AuditEvent.objects.annotate(
            before_text=Cast("before", TextField()), after_text=Cast("after", TextField())
        )
        .filter(
            Q(actor=user)
            | Q(object_type=user._meta.label_lower, object_id=str(user.pk))
            | scrubber.mentions(
                "actor_label", "object_label", "detail", "path", "before_text", "after_text"
            )
        )
        .order_by("pk")
    )


def ledger_rows_about(user: Any) -> Any:
    """The ledger entries whose free text names a person."""
    scrubber = Scrubber.of(user)
    return LedgerEntry.objects.filter(
        scrubber.mentions("description", "supplier", "document_name")
    ).order_by("pk")


def pseudonymise_person(user: Any) -> tuple[int, int]:
    """Replace a person in the audit log and the ledger by their pseudonym; (records, entries)."""
    scrubber = Scrubber.of(user)
    events = list(audit_rows_about(user))
    entries = list(ledger_rows_about(user))
    if not events and not entries:
        return 0, 0
    for event in events:
        event.actor_label = scrubber.text(event.actor_label)
        event.object_label = scrubber.text(event.object_label)
        if event.object_type == user._meta.label_lower and event.object_id == str(user.pk):
            event.object_label = scrubber.pseudonym
        event.detail = scrubber.text(event.detail)
        event.path = scrubber.text(event.path)
        event.before = scrubber.value(event.before)
        event.after = scrubber.value(event.after)
        # Where the person was is theirs too; where an administrator acted on them is not.
        if event.actor_id == user.pk:
            event.ip_address = None
    for entry in entries:
        entry.description = scrubber.text(entry.description)
        entry.supplier = scrubber.text(entry.supplier)
        entry.document_name = scrubber.text(entry.document_name)
    with rewriting_personal_data():
        AuditEvent.objects.bulk_update(events, AUDIT_COLUMNS, batch_size=500)
        LedgerEntry.objects.bulk_update(entries, LEDGER_COLUMNS, batch_size=500)
    return len(events), len(entries)


def is_anonymised(user: User) -> bool:
    return user.email.endswith("@" + ANONYMISED_DOMAIN)


def anonymise_person(user: User) -> str:
    """Anonymise an account in place and pseudonymise the person in the audit log and the
    ledger; the rows that point at the account (what they did) stay. Returns the pseudonym."""
    with transaction.atomic():
        name = pseudonym(user.email)
        pseudonymise_person(user)
        Session.objects.filter(
            session_key__in=UserSession.objects.filter(user=user).values("session_key")
        ).delete()
        UserSession.objects.filter(user=user).delete()
        Invitation.objects.filter(user=user).delete()
        for model in apps.get_models():
            # Second-factor devices and anything else that is only the person's own key.
            if model._meta.app_label in {"otp_totp", "otp_static", "otp_email"}:
                model._default_manager.filter(user=user).delete()
        user.email = f"{name}@{ANONYMISED_DOMAIN}"
        user.full_name = name
        user.position = ""
        user.personal_code = None
        user.is_active = False
        user.set_unusable_password()
        user.save(
            update_fields=[
                "email",
                "full_name",
                "position",
                "personal_code",
                "is_active",
                "password",
            ]
        )
        return name


def failed_sign_ins_before(cutoff: Any) -> Any:
    """Failed sign-ins in the audit log, older than the cutoff, with what was typed still there."""
    return AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED, at__lt=cutoff).exclude(
        Q(actor_label="") | Q(actor_label__startswith=PSEUDONYM_PREFIX), ip_address__isnull=True
    )


def pseudonymise_failed_sign_ins(events: Any) -> int:
    """The e-mail typed becomes its pseudonym, and the address is dropped."""
    rows = list(events)
    for event in rows:
        if event.actor_label and not event.actor_label.startswith(PSEUDONYM_PREFIX):
            event.actor_label = pseudonym(event.actor_label)
        event.ip_address = None
    if rows:
        with rewriting_personal_data():
            AuditEvent.objects.bulk_update(rows, ["actor_label", "ip_address"], batch_size=500)
    return len(rows)


def remove_ledger_documents(entries: Any) -> int:
    """Delete the supporting documents of ledger entries from storage; the figures stay."""
    rows = [entry for entry in entries if entry.document]
    files = [entry.document for entry in rows]
    for entry in rows:
        entry.document = ""  # type: ignore[assignment]
        entry.document_name = ""
    if rows:
        with rewriting_personal_data():
            LedgerEntry.objects.bulk_update(rows, ["document", "document_name"], batch_size=500)
        # Once the rows no longer name them: a rollback leaves the files in place.
        transaction.on_commit(partial(_delete_stored, files))
    return len(rows)


def _delete_stored(files: list[Any]) -> None:
    for file in files:
        file.storage.delete(file.name)
