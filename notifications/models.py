"""Notices to the people who must act on a change, and how each person wants them e-mailed.

A notice is worded when it is read (``Notification.text``), in the reader's language: the row
keeps the kind, the name of what it is about and what the actor typed.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class Kind(models.TextChoices):
    APPLICATION_SUBMITTED = "application_submitted", _("an application is submitted")
    APPLICATION_DECIDED = "application_decided", _("an application is decided")
    PLAN_SUBMITTED = "plan_submitted", _("an action plan is submitted")
    PLAN_RETURNED = "plan_returned", _("an action plan is returned")
    PLAN_APPROVED = "plan_approved", _("an action plan is approved")
    UPDATE_SUBMITTED = "update_submitted", _("a quarterly update is submitted")
    UPDATE_RETURNED = "update_returned", _("a quarterly update is returned")
    UPDATE_ACCEPTED = "update_accepted", _("a quarterly update is accepted")
    INFORMATION_REQUESTED = "information_requested", _("more information is requested")
    INFORMATION_ANSWERED = "information_answered", _("a request for information is answered")
    SESSION_AWAITING_CONFIRMATION = (
        "session_awaiting_confirmation",
        _("a counselling session awaits confirmation"),
    )
    SESSION_DISPUTED = "session_disputed", _("a counselling session is disputed")
    EXPENDITURE_ACCEPTED = "expenditure_accepted", _("an expenditure is approved")
    EXPENDITURE_REFUSED = "expenditure_refused", _("an expenditure is rejected")
    BUDGET_CHANGE_REQUESTED = "budget_change_requested", _("a budget change is requested")
    BUDGET_CHANGE_DECIDED = "budget_change_decided", _("a budget change is decided")
    ENTRY_REVERSED = "entry_reversed", _("a ledger entry is reversed")
    REPORT_READY = "report_ready", _("a report is ready")
    REPORT_FAILED = "report_failed", _("a report could not be made")
    PRACTICE_SUBMITTED = "practice_submitted", _("a good practice is submitted")
    PRACTICE_RETURNED = "practice_returned", _("a good practice is returned")
    PRACTICE_PUBLISHED = "practice_published", _("a good practice is published")
    AGREEMENT_SIGNED = "agreement_signed", _("a partnership agreement is signed")
    CLAIM_SUBMITTED = "claim_submitted", _("a payment claim is submitted")
    CLAIM_DECIDED = "claim_decided", _("a payment claim is decided")
    FINAL_REPORT_SUBMITTED = "final_report_submitted", _("a final report is submitted")
    FINAL_REPORT_RETURNED = "final_report_returned", _("a final report is returned")
    FINAL_REPORT_APPROVED = "final_report_approved", _("a final report is approved")
    MESSAGE_POSTED = "message_posted", _("a new message")
    DEADLINE_SOON = "deadline_soon", _("a deadline is near")


# Decisions, and money refused or returned: always e-mailed (at once or in the digest).
ALWAYS_EMAILED = frozenset(
    {
        Kind.APPLICATION_DECIDED,
        Kind.PLAN_RETURNED,
        Kind.PLAN_APPROVED,
        Kind.BUDGET_CHANGE_DECIDED,
        Kind.EXPENDITURE_REFUSED,
        Kind.ENTRY_REVERSED,
        Kind.CLAIM_DECIDED,
        Kind.FINAL_REPORT_RETURNED,
        Kind.FINAL_REPORT_APPROVED,
    }
)

# The sentence each kind reads as; %(about)s is the name of the thing, %(due)s a deadline's date.
TEXT: dict[str, Promise] = {
    Kind.APPLICATION_SUBMITTED: _("Application submitted: %(about)s"),
    Kind.APPLICATION_DECIDED: _("The ministry has decided on the application: %(about)s"),
    Kind.PLAN_SUBMITTED: _("Action plan submitted for approval: %(about)s"),
    Kind.PLAN_RETURNED: _("Action plan returned for changes: %(about)s"),
    Kind.PLAN_APPROVED: _("Action plan approved: %(about)s"),
    Kind.UPDATE_SUBMITTED: _("Quarterly update submitted: %(about)s"),
    Kind.UPDATE_RETURNED: _("Quarterly update returned for changes: %(about)s"),
    Kind.UPDATE_ACCEPTED: _("Quarterly update accepted: %(about)s"),
    Kind.INFORMATION_REQUESTED: _("The ministry asks for more information: %(about)s"),
    Kind.INFORMATION_ANSWERED: _("Your request for information is answered: %(about)s"),
    Kind.SESSION_AWAITING_CONFIRMATION: _(
        "A counselling session awaits your confirmation: %(about)s"
    ),
    Kind.SESSION_DISPUTED: _("A counselling session is disputed: %(about)s"),
    Kind.EXPENDITURE_ACCEPTED: _("Expenditure approved: %(about)s"),
    Kind.EXPENDITURE_REFUSED: _("Expenditure rejected: %(about)s"),
    Kind.BUDGET_CHANGE_REQUESTED: _("Budget change requested: %(about)s"),
    Kind.BUDGET_CHANGE_DECIDED: _("The ministry has decided on the budget change: %(about)s"),
    Kind.ENTRY_REVERSED: _("Ledger entry reversed: %(about)s"),
    Kind.REPORT_READY: _("Your report is ready: %(about)s"),
    Kind.REPORT_FAILED: _("Your report could not be made: %(about)s"),
    Kind.PRACTICE_SUBMITTED: _("Good practice submitted for publishing: %(about)s"),
    Kind.PRACTICE_RETURNED: _("Good practice returned for changes: %(about)s"),
    Kind.PRACTICE_PUBLISHED: _("Good practice published: %(about)s"),
    Kind.AGREEMENT_SIGNED: _("Partnership agreement signed: %(about)s"),
    Kind.CLAIM_SUBMITTED: _("Payment claim submitted: %(about)s"),
    Kind.CLAIM_DECIDED: _("The ministry has decided on the payment claim: %(about)s"),
    Kind.FINAL_REPORT_SUBMITTED: _("Final report submitted for approval: %(about)s"),
    Kind.FINAL_REPORT_RETURNED: _("Final report returned for changes: %(about)s"),
    Kind.FINAL_REPORT_APPROVED: _("Final report approved: %(about)s"),
    Kind.MESSAGE_POSTED: _("New message: %(about)s"),
    Kind.DEADLINE_SOON: _("Due on %(due)s: %(about)s"),
}


class Delivery(models.TextChoices):
    AT_ONCE = "at_once", _("at once")
    DAILY = "daily", _("in a daily digest")
    NONE = "none", _("not by e-mail")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: User) -> "NotificationQuerySet":
        """A person's notices are their own."""
        return self.filter(recipient_id=user.pk)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def not_emailed(self) -> "NotificationQuerySet":
        return self.filter(emailed_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    about_id = models.PositiveBigIntegerField()
    about = GenericForeignKey("about_type", "about_id")
    # The thing's name when the notice was made: the thing may change or go, the notice stays.
    label = models.CharField(max_length=300)
    link = models.CharField(max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    # Makes a notice that may be made twice (a deadline's reminder) once per person.
    key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_key_once",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The notice in the active language."""
        due = formats.date_format(self.due_on, "SHORT_DATE_FORMAT") if self.due_on else ""
        return str(TEXT[self.kind]) % {"about": self.label, "due": due}


class PreferenceQuerySet(models.QuerySet["Preference"]):
    def deliveries(self, user: User) -> dict[str, str]:
        """How the person wants each kind e-mailed: their choice, else at once."""
        chosen = dict(self.filter(user=user).values_list("kind", "delivery"))
        return {kind: delivery_of(kind, chosen.get(kind)) for kind in Kind.values}


def delivery_of(kind: str, chosen: str | None) -> str:
    """A kind always e-mailed is never 'none', whatever is stored."""
    if chosen is None or (chosen == Delivery.NONE and kind in ALWAYS_EMAILED):
        return Delivery.AT_ONCE
    return chosen


class Preference(models.Model):
    """How one person wants one kind of notice e-mailed; without a row, at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    delivery = models.CharField(_("e-mail"), max_length=10, choices=Delivery.choices)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_a_kind"),
            models.CheckConstraint(
                condition=~models.Q(delivery=Delivery.NONE)
                | ~models.Q(kind__in=sorted(kind.value for kind in ALWAYS_EMAILED)),
                name="preference_always_emailed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"


class Digest(models.Model):
    """One person's daily digest, sent: the row makes it once a day, however many beats run."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    notices = models.PositiveIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
