"""The intake's workflows: starting, saving, submitting and withdrawing an application."""

from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from accounts.models import User
from applications import rules
from applications.evaluation import ensure_default_criteria
from applications.models import (
    Application,
    CouncilDecision,
    MissingPart,
    Section,
    Status,
    StatusChange,
)
from applications.tasks import send_submission_receipt
from audit.models import Action
from audit.services import form_changes, record, record_change
from notifications.models import Kind
from notifications.services import ministry_staff, notify
from programme.models import Call, Municipality
from turvaportaal.lib.money import format_money
from turvaportaal.lib.queue import send_on_commit
from turvaportaal.lib.rules import require
from turvaportaal.lib.signatures import is_signed_container, validate_signed_container
from turvaportaal.lib.uploads import sha256_of, validate_pdf


class Incomplete(ValidationError):
    """An application submitted with parts missing; the parts say which sections they are in."""

    def __init__(self, parts: list[MissingPart]) -> None:
        super().__init__([part.message for part in parts])
        self.parts = parts


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("call").get(pk=application.pk)


def _lock_editable(application: Application, user: User, section: Section) -> Application:
    locked = _lock(application)
    require(rules.may_edit(user, locked, section))
    return locked


@transaction.atomic
def start_application(*, call: Call, municipality: Municipality, user: User) -> Application:
    """Open a draft application of the user's municipality in a call that accepts
    applications."""
    # The lock makes a double click wait for the first application, then say it exists.
    Municipality.objects.select_for_update().get(pk=municipality.pk)
    require(rules.may_start(user, call, municipality))
    application = Application(
        call=call,
        municipality=municipality,
        created_by=user,
        contact_name=user.full_name,
        contact_position=user.position,
        contact_email=user.email,
    )
    application.full_clean()
    application.save()
    StatusChange.objects.create(application=application, to_status=Status.DRAFT, changed_by=user)
    record_change(
        user,
        application,
        gettext_noop("application started"),
        after={"status": application.status},
        label=f"{municipality} – {call}",
    )
    return application


@transaction.atomic
def save_section(
    *,
    application: Application,
    user: User,
    section: Section,
    form: ModelForm | None = None,
    formset: BaseInlineFormSet | None = None,
) -> None:
    """Save one section of a draft (or of an application under evaluation that the ministry's
    request for more information opened); the whole section or nothing."""
    locked = _lock_editable(application, user, section)
    before, after = form_changes(form, formset)
    if form is not None:
        form.save()
    if formset is not None:
        formset.save()
    if after:
        record_change(
            user, locked, gettext_noop("application section saved"), before=before, after=after
        )
    if locked.budget_lines.exists():
        total = sum(line.amount for line in locked.budget_lines.all())
        if total > locked.call.grant_amount:
            raise ValidationError(
                _("The budget totals %(total)s, more than the grant of %(grant)s.")
                % {"total": format_money(total), "grant": format_money(locked.call.grant_amount)}
            )
    # Saving touches the application so that "last saved" tells the truth.
    Application.objects.filter(pk=locked.pk).update(updated_at=timezone.now())


@transaction.atomic
def upload_council_decision(
    *, application: Application, uploaded_file: UploadedFile, user: User
) -> CouncilDecision:
    """Store a new version of the council's decision; earlier versions stay in the history."""
    locked = _lock_editable(application, user, Section.DECISION)
    # A PDF, or the decision signed digitally in a container whose signatures must hold.
    signers: list[dict[str, Any]] = []
    if is_signed_container(uploaded_file):
        signers = validate_signed_container(uploaded_file).signers_json()
        suffix = PurePath(uploaded_file.name or "").suffix.lower()
    elif PurePath(uploaded_file.name or "").suffix.lower() == ".pdf":
        validate_pdf(uploaded_file)
        suffix = ".pdf"
    else:
        raise ValidationError(
            _("Only a PDF file (.pdf) or a digitally signed container (.asice, .bdoc) is accepted.")
        )
    decision = CouncilDecision(
        application=locked,
        original_name=uploaded_file.name or f"decision{suffix}",
        size=uploaded_file.size or 0,
        sha256=sha256_of(uploaded_file),
        signers=signers,
        uploaded_by=user,
    )
    decision.file.save(f"decision{suffix}", uploaded_file, save=False)
    decision.save()
    record(
        user,
        Action.UPLOAD,
        obj=decision,
        detail=decision.original_name,
        after={
            "application": locked.pk,
            "size": decision.size,
            "sha256": decision.sha256,
            "signers": signers,
        },
    )
    return decision


@transaction.atomic
def submit_application(
    *, application: Application, user: User, at: datetime | None = None
) -> Application:
    """Hand in a complete draft before the deadline; the contact person gets a receipt and
    the ministry a notice."""
    locked = _lock(application)
    at = at or timezone.now()
    require(rules.may_submit(user, locked, at))
    missing = locked.missing_parts()
    if missing:
        raise Incomplete(missing)
    locked.move_to(Status.SUBMITTED, user)
    locked.submitted_at = at
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    language = get_language()
    send_on_commit(send_submission_receipt, locked.pk, language)
    notify(
        Kind.APPLICATION_SUBMITTED,
        recipients=ministry_staff(),
        about=locked,
        link=reverse("application_detail", args=[locked.pk]),
        actor=user,
    )
    return locked


@transaction.atomic
def withdraw_application(*, application: Application, user: User) -> Application:
    """Take a submitted application back to draft to change it; only before the deadline."""
    locked = _lock(application)
    require(rules.may_withdraw(user, locked))
    locked.move_to(Status.DRAFT, user)
    locked.submitted_at = None
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    return locked


@transaction.atomic
def start_evaluation(*, call: Call, user: User) -> int:
    """After the deadline, move every submitted application of the call to evaluation."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    require(rules.may_start_evaluation(user, call))
    ensure_default_criteria(call)
    # The names come along for the audit records; only the applications are locked.
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("municipality", "call")
        .filter(call=call, status=Status.SUBMITTED)
    )
    for application in applications:
        application.move_to(Status.UNDER_EVALUATION, user)
        application.save(update_fields=["status", "updated_at"])
    return len(applications)
