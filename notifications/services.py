"""Telling the people who must act: a notice made in the change's own transaction, e-mailed
after it commits (at once), or in the next daily digest, as each person chose."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import Role, User, UserQuerySet
from notifications.models import (
    ALWAYS_EMAILED,
    Delivery,
    Digest,
    Kind,
    Notification,
    NotificationQuerySet,
    Preference,
)
from programme.models import Municipality, Participation
from turvaportaal.lib.queue import send_on_commit

# A digest gathers what came since the last one; older notices left unsent (a person who had
# chosen no e-mail, then a digest) are not sent all at once.
DIGEST_REACH = timedelta(days=2)


def ministry_staff() -> UserQuerySet:
    return User.objects.filter(role=Role.MINISTRY, is_active=True)


def municipality_people(municipality: Municipality) -> UserQuerySet:
    return User.objects.filter(municipality=municipality, is_active=True)


def provider_people(participation: Participation) -> UserQuerySet:
    if participation.service_provider_id is None:
        return User.objects.none()
    return User.objects.filter(
        service_provider_id=participation.service_provider_id, is_active=True
    )


def _may_see(person: User, about: models.Model) -> bool:
    """Whether the person may see the thing: its own QuerySet's visible_to decides."""
    manager = type(about)._default_manager
    return manager.visible_to(person).filter(pk=about.pk).exists()  # type: ignore[attr-defined]


def notify(
    kind: Kind,
    *,
    recipients: Iterable[User],
    about: models.Model,
    link: str,
    actor: User | None = None,
    note: str = "",
    due_on: date | None = None,
    key: str = "",
) -> list[Notification]:
    """Tell each recipient who may see ``about`` (never the actor); call it inside the change's
    transaction. A ``key`` makes the notice once per person, however often it is asked for."""
    about_type = ContentType.objects.get_for_model(about)
    made = []
    seen: set[int] = set()
    for person in recipients:
        if person.pk in seen or not person.is_active or (actor and person.pk == actor.pk):
            continue
        seen.add(person.pk)
        if not _may_see(person, about):
            continue
        fields = {
            "kind": kind,
            "about_type": about_type,
            "about_id": about.pk,
            "label": str(about)[:300],
            "link": link,
            "actor": actor,
            "note": note,
            "due_on": due_on,
        }
        if key:
            try:
                with transaction.atomic():
                    notice, created = Notification.objects.get_or_create(
                        recipient=person, key=key, defaults=fields
                    )
            except IntegrityError:  # another process made it just now
                continue
            if created:
                made.append(notice)
        else:
            made.append(Notification.objects.create(recipient=person, **fields))
    if made:
        from notifications.tasks import email_at_once

        send_on_commit(email_at_once, [notice.pk for notice in made])
    return made


def _email(person: User, template: str, context: dict[str, object]) -> None:
    with translation.override(person.language):
        context = {
            **context,
            "person": person,
            "settings_link": settings.SITE_URL + reverse("notification_settings"),
        }
        folder = "notifications/email"
        subject = render_to_string(f"{folder}/{template}_subject.txt", context, using="text")
        body = render_to_string(f"{folder}/{template}_body.txt", context, using="text")
    send_mail(" ".join(subject.split()), body, None, [person.email])


def email_at_once(notice_ids: list[int]) -> int:
    """E-mail the notices whose recipients want them at once; each once."""
    sent = 0
    for notice_id in notice_ids:
        with transaction.atomic():
            notice = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(pk=notice_id, emailed_at__isnull=True)
                .first()
            )
            if notice is None:
                continue
            person = notice.recipient
            delivery = Preference.objects.deliveries(person)[notice.kind]
            if delivery != Delivery.AT_ONCE or not person.is_active:
                continue
            _email(person, "notice", {"notice": notice, "link": settings.SITE_URL + notice.link})
            notice.emailed_at = timezone.now()
            notice.save(update_fields=["emailed_at"])
            sent += 1
    return sent


def send_digest(person: User, day: date) -> int:
    """The person's digest of the day: what they chose to get daily, once a day."""
    daily = [
        kind
        for kind, delivery in Preference.objects.deliveries(person).items()
        if delivery == Delivery.DAILY
    ]
    with transaction.atomic():
        notices = list(
            Notification.objects.select_for_update(of=("self",))
            .not_emailed()
            .filter(
                recipient=person,
                kind__in=daily,
                created_at__gte=timezone.now() - DIGEST_REACH,
            )
            .order_by("created_at", "pk")
        )
        if not notices:
            return 0
        try:
            # A second beat waits here for the first to commit, then finds the day's digest.
            with transaction.atomic():
                Digest.objects.create(user=person, day=day, notices=len(notices))
        except IntegrityError:
            return 0
        _email(
            person,
            "digest",
            {"notices": notices, "day": day, "site": settings.SITE_URL},
        )
        Notification.objects.filter(pk__in=[n.pk for n in notices]).update(
            emailed_at=timezone.now()
        )
    return len(notices)


def send_digests(day: date | None = None) -> int:
    """Every person's digest of the day; the number of digests sent."""
    day = day or timezone.localdate()
    people = User.objects.filter(
        is_active=True,
        notification_preferences__delivery=Delivery.DAILY,
        notifications__emailed_at__isnull=True,
    ).distinct()
    return sum(1 for person in people if send_digest(person, day))


# A deadline is told twice: when it is a week away, and again when it is a day away.
REMIND_WITHIN = timedelta(days=7)
LAST_REMINDER = timedelta(days=1)


def remind_of_deadline(
    *,
    about: models.Model,
    deadline: datetime | date,
    recipients: Iterable[User],
    link: str,
    now: datetime | None = None,
) -> list[Notification]:
    """Remind who must act of a deadline within REMIND_WITHIN: the week's reminder, then the
    day's, each once (a beat that runs twice, or late, tells no one twice)."""
    now = now or timezone.now()
    if isinstance(deadline, datetime):
        ahead = deadline - now
        due_on = timezone.localdate(deadline)
    else:
        ahead = deadline - timezone.localdate(now)
        due_on = deadline
    if ahead < timedelta(0) or ahead > REMIND_WITHIN:
        return []
    days = 1 if ahead <= LAST_REMINDER else 7
    return notify(
        Kind.DEADLINE_SOON,
        recipients=recipients,
        about=about,
        link=link,
        due_on=due_on,
        key=f"deadline:{about._meta.label_lower}:{about.pk}:{due_on}:{days}",
    )


def mark_read(notices: NotificationQuerySet) -> int:
    return notices.unread().update(read_at=timezone.now())


@transaction.atomic
def save_preferences(*, user: User, deliveries: dict[str, str]) -> None:
    """Store the person's choice for each kind; a kind always e-mailed cannot be 'none'."""
    for kind, delivery in deliveries.items():
        if kind in ALWAYS_EMAILED and delivery == Delivery.NONE:
            raise ValidationError(
                _("%(kind)s is always e-mailed: choose at once or the daily digest.")
                % {"kind": capfirst(Kind(kind).label)}
            )
    Preference.objects.filter(user=user, kind__in=deliveries).delete()
    Preference.objects.bulk_create(
        Preference(user=user, kind=kind, delivery=delivery) for kind, delivery in deliveries.items()
    )
