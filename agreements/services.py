"""The partnership agreements' workflows: draw up or change the terms, store the signed
agreement, add a signed amendment. Each in one transaction, asking agreements/rules.py."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from agreements import rules
from agreements.models import Agreement, Amendment, SignedDocument
from audit.models import Action
from audit.services import record, record_change
from notifications.models import Kind
from notifications.services import municipality_people, notify
from programme.models import Participation
from turvaportaal.lib.rules import require
from turvaportaal.lib.signatures import validate_signed_container
from turvaportaal.lib.uploads import sha256_of

# The terms a ministry's form sets; the rest is the portal's.
TERMS = (
    "number",
    "signed_on",
    "start_on",
    "end_on",
    "ministry_name",
    "ministry_signatory",
    "municipality_signatory",
    "grant_amount",
    "flexible_share",
)


def _kept(agreement: Agreement) -> dict[str, Any]:
    """The terms as the audit log keeps them (dates and amounts as text)."""
    return {
        name: (str(value) if value is not None else None)
        for name in TERMS
        for value in [getattr(agreement, name)]
    }


def new_agreement(participation: Participation) -> Agreement:
    """An agreement not yet saved, with the participation's dates and grant to start from."""
    return Agreement(
        participation=participation,
        start_on=participation.start_on,
        end_on=participation.end_on,
        grant_amount=participation.grant_amount,
    )


@transaction.atomic
def save_agreement(*, participation: Participation, user: User, terms: dict[str, Any]) -> Agreement:
    """Draw up the participation's agreement, or change the terms of the one it has."""
    locked = Participation.objects.select_for_update().get(pk=participation.pk)
    agreement = Agreement.objects.select_for_update().filter(participation=locked).first()
    require(rules.may_edit(user, locked, agreement))
    creating = agreement is None
    if agreement is None:
        agreement = new_agreement(locked)
        agreement.created_by = user
    before = {} if creating else _kept(agreement)
    for name in TERMS:
        if name in terms:
            setattr(agreement, name, terms[name])
    agreement.full_clean()
    agreement.save()
    after = _kept(agreement)
    changed = {name for name in TERMS if before.get(name) != after[name]}
    if changed:
        record_change(
            user,
            agreement,
            gettext_noop("partnership agreement drawn up")
            if creating
            else gettext_noop("partnership agreement changed"),
            before={name: before[name] for name in changed} if before else None,
            after={name: after[name] for name in changed},
        )
    return agreement


def _store(document: SignedDocument, uploaded_file: UploadedFile, user: User) -> list[Any]:
    """Check the container, keep it and its signers on the document (not saved yet)."""
    checked = validate_signed_container(uploaded_file)
    document.container_name = (uploaded_file.name or "signed.asice")[:255]
    document.container_size = uploaded_file.size or 0
    document.container_sha256 = sha256_of(uploaded_file)
    document.signers = checked.signers_json()
    document.container_uploaded_at = timezone.now()
    document.container_uploaded_by = user
    suffix = ".bdoc" if document.container_name.lower().endswith(".bdoc") else ".asice"
    document.container.save(f"signed{suffix}", uploaded_file, save=False)
    return list(checked.signers)


@transaction.atomic
def store_signed_agreement(
    *, agreement: Agreement, uploaded_file: UploadedFile, user: User
) -> Agreement:
    """Keep the signed agreement once its container's signatures hold; tell the municipality."""
    locked = (
        Agreement.objects.select_for_update()
        .select_related("participation__municipality")
        .get(pk=agreement.pk)
    )
    require(rules.may_upload(user, locked))
    signers = _store(locked, uploaded_file, user)
    if locked.signed_on is None:
        times = [signer.signed_at for signer in signers if signer.signed_at is not None]
        # Signed when the last party signed, as the day is in Estonia.
        locked.signed_on = timezone.localdate(max(times)) if times else timezone.localdate()
    locked.save()
    record(
        user,
        Action.UPLOAD,
        obj=locked,
        detail=locked.container_name,
        after={
            "size": locked.container_size,
            "sha256": locked.container_sha256,
            "signers": locked.signers,
            "signed_on": str(locked.signed_on),
        },
    )
    notify(
        Kind.AGREEMENT_SIGNED,
        recipients=municipality_people(locked.participation.municipality),
        about=locked,
        link=reverse("agreement", args=[locked.participation_id]),
        actor=user,
    )
    return locked


@transaction.atomic
def add_amendment(
    *,
    agreement: Agreement,
    user: User,
    dated_on: date,
    changes: str,
    uploaded_file: UploadedFile,
) -> Amendment:
    """Add the next amendment to a signed agreement, with its own signed container."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    require(rules.may_amend(user, locked))
    last = locked.amendments.aggregate(last=Max("number"))["last"] or 0
    amendment = Amendment(
        agreement=locked, number=last + 1, dated_on=dated_on, changes=changes, created_by=user
    )
    amendment.full_clean(exclude=["container"])
    _store(amendment, uploaded_file, user)
    amendment.save()
    record(
        user,
        Action.UPLOAD,
        obj=amendment,
        detail=amendment.container_name,
        after={
            "agreement": locked.pk,
            "number": amendment.number,
            "dated_on": str(dated_on),
            "changes": changes,
            "size": amendment.container_size,
            "sha256": amendment.container_sha256,
            "signers": amendment.signers,
        },
    )
    return amendment
