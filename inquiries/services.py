"""Asking a municipality for more information, its answer, and withdrawing a question."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from actionplans.models import ActionPlan, ProgressUpdate
from applications.models import Application, Section
from audit.services import record_change
from grants.models import BudgetChange, LedgerEntry
from inquiries import rules
from inquiries.models import InformationRequest, Subject, municipality_of, subject_of
from notifications.models import Kind
from notifications.services import municipality_people, notify
from programme.models import Participation
from turvaportaal.lib.rules import require
from turvaportaal.lib.uploads import document_suffix, sha256_of, validate_document


def _locked(thing: Any) -> Any:
    """The object read again with its row locked, so that two questions, or a question and the
    ministry's decision, come one after the other. The ledger's objects lock their participation
    first, as every workflow of the ledger does."""
    match subject_of(thing):
        case Subject.APPLICATION:
            return (
                Application.objects.select_for_update(of=("self",))
                .select_related("municipality")
                .get(pk=thing.pk)
            )
        case Subject.PLAN:
            return (
                ActionPlan.objects.select_for_update(of=("self",))
                .select_related("participation__municipality")
                .get(pk=thing.pk)
            )
        case Subject.EXPENDITURE:
            Participation.objects.select_for_update().get(pk=thing.participation_id)
            return (
                LedgerEntry.objects.with_state()
                .select_related("participation__municipality")
                .get(pk=thing.pk)
            )
        case Subject.BUDGET_CHANGE:
            Participation.objects.select_for_update().get(pk=thing.participation_id)
            return BudgetChange.objects.select_related("participation__municipality").get(
                pk=thing.pk
            )
        case _:
            return (
                ProgressUpdate.objects.select_for_update(of=("self",))
                .select_related("plan__participation__municipality")
                .get(pk=thing.pk)
            )


def _sections(subject: Subject, chosen: Iterable[str]) -> list[str]:
    """The application's parts that may change, in the application's order."""
    chosen = set(chosen)
    if chosen and subject != Subject.APPLICATION:
        raise ValidationError(_("Only the parts of an application are opened for changes."))
    if unknown := chosen - set(Section.values):
        raise ValidationError(
            _("There is no such part of the application: %(parts)s.")
            % {"parts": ", ".join(sorted(unknown))}
        )
    return [section for section in Section.values if section in chosen]


@transaction.atomic
def ask_for_information(
    *, thing: Any, question: str, sections: Iterable[str] = (), user: User
) -> InformationRequest:
    """Ask the object's municipality a question; for an application, name the parts it may
    change until it answers. Its people are told."""
    locked = _locked(thing)
    require(rules.may_ask(user, locked))
    subject = subject_of(locked)
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Write the question to the municipality.")})
    request = InformationRequest(
        **{subject.value: locked},
        municipality=municipality_of(locked),
        question=question,
        sections=_sections(subject, sections),
        asked_by=user,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:  # asked meanwhile: the row lock makes this all but unheard of
        raise ValidationError(_("More information is already requested.")) from error
    record_change(
        user,
        request,
        gettext_noop("more information requested"),
        after={subject.value: locked.pk, "question": question, "sections": request.sections},
    )
    notify(
        Kind.INFORMATION_REQUESTED,
        recipients=municipality_people(request.municipality),
        about=request,
        link=reverse("inquiry_answer", args=[request.pk]),
        actor=user,
        note=question,
    )
    return request


def _incomplete(request: InformationRequest) -> list[str]:
    """What the parts of an application opened for changes now lack: an application under
    evaluation stays complete."""
    if request.subject != Subject.APPLICATION or not request.sections:
        return []
    application = request.application
    assert application is not None
    return [
        _("%(part)s: %(problem)s") % {"part": part.section.label, "problem": part.message}
        for part in application.missing_parts()
        if part.section in request.sections
    ]


@transaction.atomic
def answer_information_request(
    *,
    request: InformationRequest,
    answer: str,
    attachment: UploadedFile | None = None,
    user: User,
) -> InformationRequest:
    """The municipality's answer, with a file if it has one; whoever asked is told. The object
    is back where it was: nothing waits for the municipality any more."""
    locked = (
        InformationRequest.objects.select_for_update(of=("self",))
        .select_related("municipality", "asked_by")
        .get(pk=request.pk)
    )
    require(rules.may_answer(user, locked))
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer to the question.")})
    if problems := _incomplete(locked):
        raise ValidationError([_("Complete the parts you changed before answering."), *problems])
    after: dict[str, Any] = {"answer": answer}
    if attachment is not None:
        try:
            validate_document(attachment)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from error
        locked.attachment_name = (attachment.name or "")[:255]
        after |= {
            "attachment": locked.attachment_name,
            "size": attachment.size,
            "sha256": sha256_of(attachment),
        }
        locked.attachment.save(f"answer{document_suffix(attachment)}", attachment, save=False)
    locked.answer = answer
    locked.answered_by = user
    locked.answered_at = timezone.now()
    locked.save()
    record_change(
        user,
        locked,
        gettext_noop("request for information answered"),
        before={"answer": None},
        after=after,
    )
    notify(
        Kind.INFORMATION_ANSWERED,
        recipients=[locked.asked_by],
        about=locked,
        link=locked.get_absolute_url(),
        actor=user,
        note=answer,
    )
    return locked


@transaction.atomic
def withdraw_information_request(*, request: InformationRequest, user: User) -> InformationRequest:
    """Take back a question no longer needed: nothing waits for its answer any more."""
    locked = InformationRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    require(rules.may_withdraw(user, locked))
    locked.withdrawn_by = user
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_by", "withdrawn_at"])
    record_change(
        user,
        locked,
        gettext_noop("request for information withdrawn"),
        before={"withdrawn": False},
        after={"withdrawn": True},
    )
    return locked
