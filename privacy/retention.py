"""How long the portal keeps each kind of personal data, and what happens to it then: the one
table that the daily task applies, ``manage.py retention --dry-run`` lists, the privacy notice
shows and the README's retention section is written from.

Each period is a setting read from the environment (turvaportaal/settings.py, RETENTION_*).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.db.models import CharField, DateTimeField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy

from accounts.models import Invitation, User
from agreements.models import Agreement, Amendment
from applications.models import Application, CouncilDecision, Status, TeamMember
from audit.models import Action, AuditEvent
from audit.services import record
from conversations.models import Attachment
from grants.models import LedgerEntry
from inquiries.models import InformationRequest
from privacy import pseudonyms
from programme.models import Participation


class Outcome:
    DELETED = _("deleted")
    ANONYMISED = _("anonymised in place")
    PSEUDONYMISED = _("pseudonymised in place")


@dataclass(frozen=True)
class Rule:
    key: str
    data: Promise  # the kind of personal data
    setting: str  # the setting (and environment variable) that holds the period
    unit: str  # "days" or "years", the name of the number in ``kept``
    kept: Promise  # how long, in words, with the period as %(days)d or %(years)d
    outcome: Promise
    due: Callable[[datetime.datetime], QuerySet]  # the rows whose time has come
    apply: Callable[[QuerySet], int]  # does it; the number of rows acted on

    @property
    def period(self) -> int:
        return int(getattr(settings, self.setting))

    def kept_in_words(self) -> str:
        return str(self.kept % {self.unit: self.period})


# --- What is due ------------------------------------------------------------------------------


def expired_invitations(at: datetime.datetime) -> QuerySet:
    """Invitations never accepted, expired longer ago than the period."""
    cutoff = at - datetime.timedelta(days=settings.RETENTION_INVITATION_DAYS)
    return Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff)


def old_sign_in_attempts(at: datetime.datetime) -> QuerySet:
    """The brute-force protection's records of sign-in attempts older than the period."""
    cutoff = at - datetime.timedelta(days=settings.RETENTION_SIGN_IN_ATTEMPT_DAYS)
    return AccessAttempt.objects.filter(attempt_time__lt=cutoff)


def old_failed_sign_ins(at: datetime.datetime) -> QuerySet:
    cutoff = at - datetime.timedelta(days=settings.RETENTION_SIGN_IN_ATTEMPT_DAYS)
    return pseudonyms.failed_sign_ins_before(cutoff)


def not_selected_applications(at: datetime.datetime) -> QuerySet:
    """Applications not selected, their call's deadline longer ago than the period, that still
    name their team or hold the council's decision."""
    cutoff = at - datetime.timedelta(days=settings.RETENTION_NOT_SELECTED_DAYS)
    named = Q(team_members__isnull=False) | Q(council_decisions__isnull=False)
    contact = ~Q(contact_name="") | ~Q(contact_email="") | ~Q(contact_phone="")
    return (
        Application.objects.filter(status=Status.NOT_SELECTED, call__deadline_at__lt=cutoff)
        .filter(named | contact)
        .distinct()
    )


def deactivated_accounts(at: datetime.datetime) -> QuerySet:
    """Accounts deactivated longer ago than the period and not yet anonymised. The time of
    deactivation is the audit log's; an account deactivated without a record counts from its
    last sign-in, or else from its creation."""
    cutoff = at - datetime.timedelta(days=settings.RETENTION_DEACTIVATED_ACCOUNT_DAYS)
    deactivated_at = (
        AuditEvent.objects.filter(
            object_type=User._meta.label_lower,
            object_id=Cast(OuterRef("pk"), CharField()),
            after__is_active=False,
        )
        .order_by("-at")
        .values("at")[:1]
    )
    return (
        User.objects.filter(is_active=False)
        .exclude(email__endswith="@" + pseudonyms.ANONYMISED_DOMAIN)
        .annotate(
            deactivated_at=Coalesce(
                Subquery(deactivated_at, output_field=DateTimeField()),
                "last_login",
                "created_at",
            )
        )
        .filter(deactivated_at__lt=cutoff)
    )


def participations_past_keeping(at: datetime.datetime) -> QuerySet:
    """Participations whose keeping ended (ESF+): on 31 December of the
    RETENTION_PROGRAMME_YEARS-th year after the year of the last payment to the municipality."""
    last_year = timezone.localdate(at).year - settings.RETENTION_PROGRAMME_YEARS - 1
    return Participation.objects.annotate(
        last_payment_on=Max(
            "ledger_entries__entry_on",
            filter=Q(ledger_entries__kind=LedgerEntry.Kind.DISBURSEMENT),
        )
    ).filter(last_payment_on__year__lte=last_year)


def programme_documents_past_keeping(at: datetime.datetime) -> QuerySet:
    """The ledger's supporting documents of participations whose keeping ended."""
    ended = participations_past_keeping(at).values("pk")
    return LedgerEntry.objects.filter(participation__in=ended).exclude(document="")


def message_attachments_past_keeping(at: datetime.datetime) -> QuerySet:
    """The files attached to the messages of participations whose keeping ended."""
    ended = participations_past_keeping(at).values("pk")
    return Attachment.objects.filter(message__participation__in=ended)


def signed_containers_past_keeping(at: datetime.datetime) -> QuerySet:
    """The signed containers of agreements (their signers' names and personal codes with them)
    of participations whose keeping ended; the amendments' go with their agreement."""
    ended = participations_past_keeping(at).values("pk")
    return (
        Agreement.objects.filter(participation__in=ended)
        .filter(~Q(container="") | Q(amendments__container__gt=""))
        .distinct()
    )


def inquiry_attachments_past_keeping(at: datetime.datetime) -> QuerySet:
    """The files attached to the answers of requests for more information, of participations
    whose keeping ended."""
    ended = participations_past_keeping(at).values("municipality_id")
    return InformationRequest.objects.filter(municipality__in=ended).exclude(attachment="")


# --- What is done -----------------------------------------------------------------------------


def _delete_files(files: list[FieldFile]) -> None:
    """Files of rows deleted, from storage, once the deletion has committed."""
    for file in files:
        file.delete(save=False)


def _erase_invited(invitations: QuerySet) -> int:
    users = list(User.objects.filter(invitation__in=invitations))
    for user in users:
        pseudonyms.anonymise_person(user)
    return len(users)


def _delete_attempts(attempts: QuerySet) -> int:
    cutoff = attempts.aggregate(newest=Max("attempt_time"))["newest"]
    count = attempts.count()
    if cutoff is not None:
        # The logs of successful and failed sign-ins go with the counters.
        AccessLog.objects.filter(attempt_time__lte=cutoff).delete()
        AccessFailureLog.objects.filter(attempt_time__lte=cutoff).delete()
    attempts.delete()
    return count


def _strip_applications(applications: QuerySet) -> int:
    rows = list(applications)
    decisions = CouncilDecision.objects.filter(application__in=rows)
    files = [decision.file for decision in decisions]
    decisions.delete()
    transaction.on_commit(partial(_delete_files, files))
    TeamMember.objects.filter(application__in=rows).delete()
    Application.objects.filter(pk__in=[row.pk for row in rows]).update(
        contact_name="", contact_position="", contact_email="", contact_phone=""
    )
    return len(rows)


def _delete_attachments(attachments: QuerySet) -> int:
    rows = list(attachments)
    files = [row.file for row in rows]
    Attachment.objects.filter(pk__in=[row.pk for row in rows]).delete()
    # After the commit: a rollback leaves the files with their rows.
    transaction.on_commit(partial(_delete_files, files))
    return len(rows)


def _strip_containers(agreements: QuerySet) -> int:
    """The agreement's and its amendments' signed files and signers; their terms stay."""
    rows = list(agreements)
    signed = [*rows, *Amendment.objects.filter(agreement__in=rows).exclude(container="")]
    files = [document.container for document in signed if document.container]
    for document in signed:
        document.container = ""  # type: ignore[assignment]
        document.container_name = ""
        document.signers = []
        document.save(update_fields=["container", "container_name", "signers"])
    transaction.on_commit(partial(_delete_files, files))
    return len(rows)


def _strip_inquiry_attachments(requests: QuerySet) -> int:
    rows = list(requests)
    files = [row.attachment for row in rows]
    InformationRequest.objects.filter(pk__in=[row.pk for row in rows]).update(
        attachment="", attachment_name=""
    )
    transaction.on_commit(partial(_delete_files, files))
    return len(rows)


def _anonymise_accounts(users: QuerySet) -> int:
    rows = list(users)
    for user in rows:
        pseudonyms.anonymise_person(user)
    return len(rows)


# The ESF+ rule (Common Provisions Regulation, Article 82).
PROGRAMME_KEPT = ngettext_lazy(
    "until 31 December, %(years)d year after the year of the last payment to the municipality "
    "(ESF+)",
    "until 31 December, %(years)d years after the year of the last payment to the municipality "
    "(ESF+)",
    "years",
)


def programme_rule(key: str, data: Promise, due: Callable, apply: Callable) -> Rule:
    """A kind of programme document: kept, then deleted, under the ESF+ rule."""
    return Rule(
        key=key,
        data=data,
        setting="RETENTION_PROGRAMME_YEARS",
        unit="years",
        kept=PROGRAMME_KEPT,
        outcome=Outcome.DELETED,
        due=due,
        apply=apply,
    )


RULES = [
    Rule(
        key="invitations",
        data=_("Invitations never accepted, with the invited person's name and e-mail"),
        setting="RETENTION_INVITATION_DAYS",
        unit="days",
        kept=ngettext_lazy(
            "%(days)d day after the invitation expired",
            "%(days)d days after the invitation expired",
            "days",
        ),
        outcome=Outcome.ANONYMISED,
        due=expired_invitations,
        apply=_erase_invited,
    ),
    Rule(
        key="sign_in_attempts",
        data=_("Records of sign-in attempts (e-mail typed, address, browser)"),
        setting="RETENTION_SIGN_IN_ATTEMPT_DAYS",
        unit="days",
        kept=ngettext_lazy("%(days)d day", "%(days)d days", "days"),
        outcome=Outcome.DELETED,
        due=old_sign_in_attempts,
        apply=_delete_attempts,
    ),
    Rule(
        key="failed_sign_ins",
        data=_("Failed sign-ins in the audit log (e-mail typed, address)"),
        setting="RETENTION_SIGN_IN_ATTEMPT_DAYS",
        unit="days",
        kept=ngettext_lazy("%(days)d day", "%(days)d days", "days"),
        outcome=Outcome.PSEUDONYMISED,
        due=old_failed_sign_ins,
        apply=pseudonyms.pseudonymise_failed_sign_ins,
    ),
    Rule(
        key="not_selected_applications",
        data=_(
            "Applications not selected: the contact person, the team's names and the council's "
            "decision"
        ),
        setting="RETENTION_NOT_SELECTED_DAYS",
        unit="days",
        kept=ngettext_lazy(
            "%(days)d day after the call's deadline",
            "%(days)d days after the call's deadline",
            "days",
        ),
        outcome=Outcome.DELETED,
        due=not_selected_applications,
        apply=_strip_applications,
    ),
    Rule(
        key="deactivated_accounts",
        data=_(
            "Deactivated accounts: name, e-mail, position, and the person in the audit log and "
            "the ledger"
        ),
        setting="RETENTION_DEACTIVATED_ACCOUNT_DAYS",
        unit="days",
        kept=ngettext_lazy(
            "%(days)d day after deactivation", "%(days)d days after deactivation", "days"
        ),
        outcome=Outcome.PSEUDONYMISED,
        due=deactivated_accounts,
        apply=_anonymise_accounts,
    ),
    programme_rule(
        "programme_documents",
        _("The ledger's supporting documents (invoices, contracts)"),
        due=programme_documents_past_keeping,
        apply=pseudonyms.remove_ledger_documents,
    ),
    programme_rule(
        "message_attachments",
        _("Files attached to the messages of a participation"),
        due=message_attachments_past_keeping,
        apply=_delete_attachments,
    ),
    programme_rule(
        "signed_containers",
        _("Signed agreements and amendments, with the signers' names and personal codes"),
        due=signed_containers_past_keeping,
        apply=_strip_containers,
    ),
    programme_rule(
        "inquiry_attachments",
        _("Files attached to the answers to the ministry's questions"),
        due=inquiry_attachments_past_keeping,
        apply=_strip_inquiry_attachments,
    ),
]


@dataclass(frozen=True)
class Step:
    rule: Rule
    count: int


def plan(at: datetime.datetime | None = None) -> list[Step]:
    """What applying the table now would act on: one step a rule, with its number of rows."""
    at = at or timezone.now()
    return [Step(rule, rule.due(at).count()) for rule in RULES]


def apply(at: datetime.datetime | None = None) -> list[Step]:
    """Apply the table: each rule on the rows whose time has come; a run that acted on
    something is recorded in the audit log, with its numbers."""
    at = at or timezone.now()
    steps = [Step(rule, rule.apply(rule.due(at))) for rule in RULES]
    done = {step.rule.key: step.count for step in steps if step.count}
    if done:
        record(None, Action.STATE_CHANGE, detail=gettext_noop("retention applied"), after=done)
    return steps


def markdown() -> str:
    """The table as the README's retention section has it (in the active language)."""
    lines = [
        "| personal data | kept | then | setting |",
        "| --- | --- | --- | --- |",
    ]
    for rule in RULES:
        lines.append(
            f"| {rule.data} | {rule.kept_in_words()} | {rule.outcome} | `{rule.setting}` |"
        )
    return "\n".join(lines) + "\n"
