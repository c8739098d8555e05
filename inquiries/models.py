"""The ministry's requests to a municipality for more information about something waiting for
the ministry (an application under evaluation, an action plan, an expenditure, a budget change,
a quarterly update), and the municipality's answers.

The object keeps its own status: "more information requested" is derived from the request open
on it, so that when the answer comes the object is where it was, and its questions and answers
stay beside it.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, ProgressUpdate
from applications.models import Application, Section
from grants.models import BudgetChange, LedgerEntry
from programme.models import Municipality
from turvaportaal.lib.money import format_money
from turvaportaal.lib.uploads import generated_path

if TYPE_CHECKING:
    from accounts.models import User


class Subject(models.TextChoices):
    """What a request is about; each is the name of the request's foreign key to it."""

    APPLICATION = "application", _("application")
    PLAN = "plan", _("action plan")
    EXPENDITURE = "expenditure", _("expenditure")
    BUDGET_CHANGE = "budget_change", _("budget change")
    PROGRESS_UPDATE = "progress_update", _("quarterly update")


# The model of each subject: the kind of object a request about it points at.
SUBJECT_MODELS: dict[Subject, type[models.Model]] = {
    Subject.APPLICATION: Application,
    Subject.PLAN: ActionPlan,
    Subject.EXPENDITURE: LedgerEntry,
    Subject.BUDGET_CHANGE: BudgetChange,
    Subject.PROGRESS_UPDATE: ProgressUpdate,
}


def subject_of(thing: models.Model) -> Subject:
    """The subject a request about this object has; a ValueError for any other kind of object."""
    for subject, model in SUBJECT_MODELS.items():
        if isinstance(thing, model):
            return subject
    raise ValueError(f"no request for information is made about a {type(thing).__name__}")


def municipality_of(thing: Any) -> Municipality:
    """Whose answer a request about the object awaits: the object's municipality."""
    match subject_of(thing):
        case Subject.APPLICATION:
            return thing.municipality
        case Subject.PLAN:
            return thing.participation.municipality
        case Subject.EXPENDITURE | Subject.BUDGET_CHANGE:
            return thing.participation.municipality
        case _:
            return thing.plan.participation.municipality


def page_of_thing(thing: Any) -> str:
    """The page of the object, where its requests are shown beside it: an expenditure's and a
    budget change's is their ledger, an update's the plan's updates."""
    match subject_of(thing):
        case Subject.APPLICATION:
            return reverse("application_detail", args=[thing.pk])
        case Subject.PLAN:
            return reverse("plan_detail", args=[thing.pk])
        case Subject.EXPENDITURE | Subject.BUDGET_CHANGE:
            return reverse("ledger", args=[thing.participation_id])
        case _:
            return reverse("plan_updates", args=[thing.plan_id])


def _open() -> Q:
    return Q(answered_at__isnull=True, withdrawn_at__isnull=True)


def _exactly_one_subject() -> Q:
    """One of the subjects' foreign keys set, the others empty."""
    names = [subject.value for subject in Subject]
    condition = Q()
    for name in names:
        condition |= Q(**{f"{name}__isnull": False}) & Q(
            **{f"{other}__isnull": True for other in names if other != name}
        )
    return condition


class InformationRequestQuerySet(models.QuerySet["InformationRequest"]):
    def visible_to(self, user: "User") -> "InformationRequestQuerySet":
        """Exactly the requests whose object the person may see: each kind of object's own
        visible_to decides."""
        return self.filter(
            Q(application__in=Application.objects.visible_to(user))
            | Q(plan__in=ActionPlan.objects.visible_to(user))
            | Q(expenditure__in=LedgerEntry.objects.visible_to(user))
            | Q(budget_change__in=BudgetChange.objects.visible_to(user))
            | Q(progress_update__in=ProgressUpdate.objects.visible_to(user))
        )

    def open(self) -> "InformationRequestQuerySet":
        """Requests waiting for the municipality's answer: neither answered nor withdrawn
        (InformationRequest.is_open of one row)."""
        return self.filter(_open())

    def open_first(self) -> "InformationRequestQuerySet":
        """Those waiting for an answer first, then the rest; the newest first in each."""
        waiting = models.ExpressionWrapper(_open(), output_field=models.BooleanField())
        return self.alias(waiting=waiting).order_by("-waiting", "-asked_at", "-pk")

    def about(self, thing: models.Model) -> "InformationRequestQuerySet":
        """The requests about one object."""
        return self.filter(**{subject_of(thing).value: thing})


def requests_about(thing: Any) -> list["InformationRequest"]:
    """The object's requests, newest first: as the page fetched them with the object
    (``prefetch_related("information_requests__municipality")``), or read now with the people
    who asked, answered and withdrew them."""
    if "information_requests" in getattr(thing, "_prefetched_objects_cache", {}):
        return list(thing.information_requests.all())
    return list(
        InformationRequest.objects.about(thing).select_related(
            "municipality", "asked_by", "answered_by", "withdrawn_by"
        )
    )


def attachment_path(instance: "InformationRequest", filename: str) -> str:
    return generated_path(f"inquiries/{instance.municipality_id}", filename)


class InformationRequest(models.Model):
    """One question to a municipality about one object, and its answer.

    The object is one of five foreign keys, exactly one of them set (a check constraint), rather
    than a generic relation: the database keeps each reference whole (no request about a row that
    is not there), at most one open request per object is a unique index, and the apps that own
    the objects reach their requests through an ordinary reverse relation
    (``application.information_requests``) without importing this app.
    """

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="information_requests",
        verbose_name=_("application"),
    )
    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="information_requests",
        verbose_name=_("action plan"),
    )
    # The ledger and its budget changes are never deleted.
    expenditure = models.ForeignKey(
        LedgerEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="information_requests",
        verbose_name=_("expenditure"),
    )
    budget_change = models.ForeignKey(
        BudgetChange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="information_requests",
        verbose_name=_("budget change"),
    )
    progress_update = models.ForeignKey(
        ProgressUpdate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="information_requests",
        verbose_name=_("quarterly update"),
    )
    # Whose answer is awaited: the object's municipality, kept for listing and for the answer.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="information_requests",
        verbose_name=_("municipality"),
    )
    question = models.TextField(_("question"))
    # The parts of an application its municipality may change while the request is open
    # (applications.models.Section values); a JSON list, which PostgreSQL and SQLite both keep.
    sections = models.JSONField(_("parts that may change"), default=list, blank=True)
    # The people who acted are deactivated, never deleted: their records stay whole.
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=attachment_path, max_length=200, blank=True
    )
    attachment_name = models.CharField(_("file name"), max_length=255, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_subject(),
                name="information_request_about_one_thing",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answered_by__isnull=True, answer="")
                | (Q(answered_at__isnull=False, answered_by__isnull=False) & ~Q(answer="")),
                name="information_request_answer_whole",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(
                    withdrawn_at__isnull=False,
                    withdrawn_by__isnull=False,
                    answered_at__isnull=True,
                ),
                name="information_request_withdrawn_unanswered",
            ),
            *(
                models.UniqueConstraint(
                    fields=[subject.value],
                    condition=_open(),
                    name=f"information_request_one_open_{subject.value}",
                    violation_error_message=_(
                        "More information is already requested; the answer is awaited."
                    ),
                )
                for subject in Subject
            ),
        ]
        indexes = [models.Index(fields=["municipality", "answered_at"])]

    def __str__(self) -> str:
        detail = self.thing_detail
        return f"{self.municipality}: {self.get_subject_display()}" + (
            f" {detail}" if detail else ""
        )

    def get_absolute_url(self) -> str:
        return reverse("inquiry_detail", args=[self.pk])

    @property
    def subject(self) -> Subject:
        return next(subject for subject in Subject if getattr(self, f"{subject.value}_id"))

    def get_subject_display(self) -> str:
        return str(self.subject.label)

    @property
    def thing(self) -> Any:
        """The object the request is about."""
        return getattr(self, self.subject.value)

    @property
    def thing_detail(self) -> str:
        """Which one of the municipality's objects of its kind: the call, the amount and date,
        the quarter."""
        match self.subject:
            case Subject.APPLICATION:
                return self.application.call.title  # type: ignore[union-attr]
            case Subject.EXPENDITURE:
                entry = self.expenditure
                assert entry is not None
                day = formats.date_format(entry.entry_on, "SHORT_DATE_FORMAT")
                return f"{format_money(entry.amount)} ({day})"
            case Subject.BUDGET_CHANGE:
                change = self.budget_change
                assert change is not None
                return formats.date_format(
                    timezone.localtime(change.requested_at), "SHORT_DATE_FORMAT"
                )
            case Subject.PROGRESS_UPDATE:
                return self.progress_update.quarter_label  # type: ignore[union-attr]
            case _:
                return ""

    @property
    def is_open(self) -> bool:
        """Waiting for the municipality's answer (InformationRequestQuerySet.open)."""
        return self.answered_at is None and self.withdrawn_at is None

    @property
    def asked_on_display(self) -> str:
        return formats.date_format(timezone.localtime(self.asked_at), "SHORT_DATE_FORMAT")

    @property
    def awaited(self) -> str:
        """What the object waits for, in the reader's language: "Waiting for Rapla vald's answer
        since 3.12.2026"."""
        return gettext("Waiting for %(municipality)s's answer since %(date)s") % {
            "municipality": self.municipality.name,
            "date": self.asked_on_display,
        }

    @property
    def section_labels(self) -> list[str]:
        return [str(Section(value).label) for value in self.sections if value in Section.values]

    @property
    def thing_url(self) -> str:
        return page_of_thing(self.thing)
