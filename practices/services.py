"""The good-practice library's workflows: describing a practice, submitting it for publishing,
and the ministry's publishing, returning and unpublishing. Who may take each step, and when, is
practices/rules.py, asked on the locked row."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User, UserQuerySet
from audit.services import record_change
from notifications.models import Kind
from notifications.services import ministry_staff, municipality_people, notify
from practices import rules
from practices.models import Practice
from turvaportaal.lib.rules import require

# What a form may set on a practice; who describes it, its status and its history are the
# workflows' own.
TEXT_FIELDS = [
    "title",
    "place",
    "approach",
    "joint_form",
    "description",
    "results",
    "other_partners",
    "contact",
    "source",
]


def _lock(practice: Practice) -> Practice:
    return Practice.objects.select_for_update().get(pk=practice.pk)


@transaction.atomic
def save_practice(
    *, user: User, data: Mapping[str, Any], practice: Practice | None = None
) -> Practice:
    """Create a practice, or change one the user may change. A municipality user's practice is
    always their municipality's, in its county, whatever the data says."""
    if practice is None:
        require(rules.may_create_practice(user))
        practice = Practice(created_by=user, municipality_id=user.municipality_id)
    else:
        practice = _lock(practice)
        require(rules.may_edit_practice(user, practice))
    for name in TEXT_FIELDS:
        if name in data:
            setattr(practice, name, data[name])
    own = user.municipality
    if user.has_programme_wide_access:
        practice.county = data["county"]
        municipalities = list(data.get("municipalities") or [])
        outside = [m.name for m in municipalities if m.county_id != practice.county.pk]
        if outside:
            raise ValidationError(
                {
                    "municipalities": _("Not in the practice's county: %(names)s.")
                    % {"names": ", ".join(outside)}
                }
            )
    elif own is not None:
        practice.county = own.county
        municipalities = [own]
    else:  # the rules have refused everyone else already
        raise ValidationError(_("Only municipalities and ministry staff describe practices."))
    practice.full_clean()
    practice.save()
    practice.municipalities.set(municipalities)
    practice.partners.set(data.get("partners") or [])
    return practice


@transaction.atomic
def submit_practice(*, practice: Practice, user: User) -> None:
    """Send a draft or returned practice to the ministry for publishing."""
    locked = _lock(practice)
    require(rules.may_submit_practice(user, locked))
    before = locked.status
    locked.status = Practice.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    _record_status(locked, user, before, gettext_noop("practice submitted"))
    _tell(Kind.PRACTICE_SUBMITTED, locked, user, ministry_staff())


def _record_status(
    practice: Practice, user: User, before: str, detail: str, comment: str = ""
) -> None:
    after = {"status": practice.status} | ({"comment": comment} if comment else {})
    record_change(user, practice, detail, before={"status": before}, after=after)


@transaction.atomic
def publish_practice(*, practice: Practice, user: User) -> None:
    """The ministry publishes a submitted practice: every signed-in user can read it."""
    locked = _lock(practice)
    require(rules.may_publish_practice(user, locked))
    before = locked.status
    locked.status = Practice.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = user
    locked.return_comment = ""
    locked.save(
        update_fields=["status", "published_at", "published_by", "return_comment", "updated_at"]
    )
    _record_status(locked, user, before, gettext_noop("practice published"))
    _tell(Kind.PRACTICE_PUBLISHED, locked, user, _keepers(locked))


@transaction.atomic
def return_practice(*, practice: Practice, user: User, comment: str) -> None:
    """The ministry sends a submitted practice back to its municipality with comments."""
    locked = _lock(practice)
    require(rules.may_return_practice(user, locked))
    if not comment.strip():
        raise ValidationError(_("Write what should change."))
    before = locked.status
    locked.status = Practice.Status.RETURNED
    locked.return_comment = comment.strip()
    locked.save(update_fields=["status", "return_comment", "updated_at"])
    _record_status(locked, user, before, gettext_noop("practice returned"), locked.return_comment)
    _tell(Kind.PRACTICE_RETURNED, locked, user, _keepers(locked), note=locked.return_comment)


def _keepers(practice: Practice) -> UserQuerySet:
    """The people of the municipality that keeps the practice (none for the ministry's own)."""
    if practice.municipality is None:
        return User.objects.none()
    return municipality_people(practice.municipality)


def _tell(kind: Kind, practice: Practice, user: User, people: UserQuerySet, note: str = "") -> None:
    link = reverse("practice_detail", args=[practice.pk])
    notify(kind, recipients=people, about=practice, link=link, actor=user, note=note)


@transaction.atomic
def unpublish_practice(*, practice: Practice, user: User) -> None:
    """The ministry takes a published practice back to a draft; only its keepers see it then."""
    locked = _lock(practice)
    require(rules.may_unpublish_practice(user, locked))
    before = locked.status
    locked.status = Practice.Status.DRAFT
    locked.published_at = None
    locked.published_by = None
    locked.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    _record_status(locked, user, before, gettext_noop("practice unpublished"))
