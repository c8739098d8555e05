"""Notices: who is told, how they read in the reader's language, and how they are e-mailed."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from actionplans.services import start_plan
from applications.models import Status
from applications.tasks import remind_drafts
from notifications import services
from notifications.models import Delivery, Digest, Kind, Notification, Preference
from notifications.services import notify
from tests.counselling.conftest import make_participation
from tests.factories import ApplicationFactory, CallFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(kov_a, provider):
    return start_plan(participation=make_participation(kov_a, provider.service_provider))


def tell(plan, recipients, kind=Kind.PLAN_RETURNED, actor=None, note=""):
    return notify(
        kind,
        recipients=recipients,
        about=plan,
        link=reverse("plan_detail", args=[plan.pk]),
        actor=actor,
        note=note,
    )


def test_only_those_who_may_see_the_thing_are_told_and_never_the_actor(
    plan, kov_a, kov_b, provider, ministry
):
    colleague = UserFactory(role=Role.MUNICIPALITY, municipality_code="0668")
    gone = UserFactory(role=Role.MUNICIPALITY, municipality_code="0668", is_active=False)
    other_provider = UserFactory(role=Role.PROVIDER)
    county_evaluator = UserFactory(role=Role.COUNTY_EVALUATOR, county=kov_a.municipality.county)

    made = tell(
        plan,
        [kov_a, colleague, colleague, gone, kov_b, provider, other_provider, county_evaluator],
        actor=colleague,
    )

    # B, the other provider and the evaluator may not see A's plan; the colleague acted.
    assert {notice.recipient for notice in made} == {kov_a, provider}
    assert Notification.objects.count() == 2


def test_a_notice_reads_in_the_readers_language(plan, kov_a, ministry):
    [notice] = tell(plan, [kov_a], actor=ministry, note="Lisa eelarve")
    with translation.override("en"):
        assert notice.text == f"Action plan returned for changes: {plan}"
    with translation.override("et"):
        assert notice.text != f"Action plan returned for changes: {plan}"
        assert str(plan) in notice.text


def test_a_notice_is_e_mailed_at_once_after_the_change_commits(
    plan, kov_a, ministry, django_capture_on_commit_callbacks
):
    kov_a.language = "en"
    kov_a.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tell(plan, [kov_a], actor=ministry, note="Lisa eelarve")
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == [kov_a.email]
    assert message.subject == f"Action plan returned for changes: {plan}"
    assert "Lisa eelarve" in message.body
    assert reverse("plan_detail", args=[plan.pk]) in message.body
    assert reverse("notification_settings") in message.body
    assert Notification.objects.get().emailed_at is not None


def test_a_kind_chosen_for_the_digest_or_none_is_not_e_mailed_at_once(
    plan, kov_a, ministry, django_capture_on_commit_callbacks
):
    services.save_preferences(
        user=kov_a,
        deliveries={
            Kind.EXPENDITURE_ACCEPTED: Delivery.NONE,
            Kind.MESSAGE_POSTED: Delivery.DAILY,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        tell(plan, [kov_a], kind=Kind.MESSAGE_POSTED)
        tell(plan, [kov_a], kind=Kind.EXPENDITURE_ACCEPTED)
        tell(plan, [kov_a], kind=Kind.PLAN_APPROVED)
    with translation.override(kov_a.language):
        approved = Notification.objects.get(kind=Kind.PLAN_APPROVED).text
    assert [message.subject for message in mail.outbox] == [approved]


def test_a_decision_cannot_be_switched_off(client_for, kov_a):
    with pytest.raises(Exception, match="always e-mailed"), translation.override("en"):
        services.save_preferences(user=kov_a, deliveries={Kind.PLAN_RETURNED: Delivery.NONE})
    client = client_for(kov_a, "en")
    page = client.get(reverse("notification_settings")).content.decode()
    assert f'name="{Kind.PLAN_RETURNED.value}" value="none"' not in page
    assert f'name="{Kind.MESSAGE_POSTED.value}" value="none"' in page
    # Posted anyway: refused beside the form, nothing stored.
    data = dict.fromkeys(_offered(page), Delivery.AT_ONCE) | {
        Kind.PLAN_RETURNED.value: Delivery.NONE
    }
    response = client.post(reverse("notification_settings"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Preference.objects.exists()


def _offered(page: str) -> set[str]:
    return {kind.value for kind in Kind if f'name="{kind.value}"' in page}


def test_the_settings_page_saves_each_kinds_choice(client_for, kov_a):
    client = client_for(kov_a, "en")
    page = client.get(reverse("notification_settings")).content.decode()
    offered = _offered(page)
    assert Kind.APPLICATION_SUBMITTED.value not in offered  # the ministry's, not A's
    data = dict.fromkeys(offered, Delivery.AT_ONCE) | {Kind.MESSAGE_POSTED.value: Delivery.DAILY}
    response = client.post(reverse("notification_settings"), data, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    assert Preference.objects.deliveries(kov_a)[Kind.MESSAGE_POSTED] == Delivery.DAILY
    assert Preference.objects.deliveries(kov_a)[Kind.DEADLINE_SOON] == Delivery.AT_ONCE


def test_the_bell_counts_the_unread_and_the_list_marks_them_read(
    client_for, plan, kov_a, kov_b, ministry
):
    tell(plan, [kov_a])
    tell(plan, [kov_a], kind=Kind.PLAN_APPROVED)
    client = client_for(kov_a, "en")
    header = client.get(reverse("dashboard")).content.decode()
    assert '<span class="visually-hidden"> unread</span>' in header
    assert "2<span" in header

    listing = client.get(reverse("notification_list")).content.decode()
    # Newest first, both shown as new this once.
    assert listing.index("Action plan approved") < listing.index("Action plan returned")
    assert listing.count(">New<") == 2
    assert not Notification.objects.unread().exists()
    assert "unread</span>" not in client.get(reverse("dashboard")).content.decode()
    # Someone else's list is their own.
    other = client_for(kov_b, "en").get(reverse("notification_list")).content.decode()
    assert "You have no notifications yet." in other


def test_opening_a_notice_marks_it_read_and_goes_to_the_thing(client_for, plan, kov_a, kov_b):
    [notice] = tell(plan, [kov_a])
    assert client_for(kov_b).get(reverse("notification_open", args=[notice.pk])).status_code == 404
    response = client_for(kov_a).get(reverse("notification_open", args=[notice.pk]))
    assert response.url == reverse("plan_detail", args=[plan.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_mark_all_read(client_for, plan, kov_a):
    tell(plan, [kov_a])
    client_for(kov_a).post(reverse("notifications_mark_read"))
    assert not Notification.objects.unread().exists()


# The daily digest


def test_the_digest_gathers_the_days_notices_once(plan, kov_a, provider, ministry):
    kov_a.language = "en"
    kov_a.save()
    services.save_preferences(user=kov_a, deliveries={Kind.MESSAGE_POSTED: Delivery.DAILY})
    tell(plan, [kov_a, provider], kind=Kind.MESSAGE_POSTED, note="Kohtume reedel")
    tell(plan, [kov_a], kind=Kind.MESSAGE_POSTED)
    mail.outbox.clear()  # the provider's came at once

    assert services.send_digests() == 1
    [message] = mail.outbox
    assert message.to == [kov_a.email]
    assert message.subject == "Turvaportaal: 2 notifications"
    assert message.body.count(f"New message: {plan}") == 2
    assert "Kohtume reedel" in message.body
    # A second beat the same day sends nothing; nor does the next day without news.
    assert services.send_digests() == 0
    assert services.send_digests(timezone.localdate() + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_send_one_digest(plan, kov_a):
    services.save_preferences(user=kov_a, deliveries={Kind.MESSAGE_POSTED: Delivery.DAILY})
    tell(plan, [kov_a], kind=Kind.MESSAGE_POSTED)
    start = threading.Barrier(2)
    sent: list[int] = []

    def beat() -> None:
        try:
            start.wait()
            sent.append(services.send_digests())
        finally:
            connection.close()

    beats = [threading.Thread(target=beat) for _ in range(2)]
    for thread in beats:
        thread.start()
    for thread in beats:
        thread.join()

    assert sorted(sent) == [0, 1]
    assert len(mail.outbox) == 1
    assert Digest.objects.get().notices == 1


# Deadlines


def test_a_draft_is_reminded_a_week_and_a_day_before_the_deadline_once_each(kov_a, kov_b):
    now = timezone.now()
    call = CallFactory(deadline_at=now + timedelta(days=5))
    draft = ApplicationFactory(call=call, municipality=kov_a.municipality)
    ApplicationFactory(call=call, municipality=kov_b.municipality, status=Status.SUBMITTED)

    remind = remind_drafts
    assert remind(now) == 1
    assert remind(now + timedelta(hours=1)) == 0  # told already
    [week] = Notification.objects.all()
    assert (week.recipient, week.about, week.kind) == (kov_a, draft, Kind.DEADLINE_SOON)
    assert week.due_on == timezone.localdate(call.deadline_at)
    with translation.override("en"):
        assert week.text == f"Due on {week.due_on:%d.%m.%Y}: {draft}"

    assert remind(now + timedelta(days=4, hours=12)) == 1
    assert remind(now + timedelta(days=4, hours=13)) == 0
    assert remind(now + timedelta(days=6)) == 0  # past the deadline
    assert not Notification.objects.filter(recipient=kov_b).exists()


def test_a_reminder_is_made_once_however_often_the_beat_runs(plan, kov_a):
    deadline = timezone.now() + timedelta(days=3)
    link = reverse("plan_detail", args=[plan.pk])
    for _ in range(3):
        services.remind_of_deadline(about=plan, deadline=deadline, recipients=[kov_a], link=link)
    assert Notification.objects.count() == 1
    far = timezone.now() + timedelta(days=8)
    assert (
        services.remind_of_deadline(about=plan, deadline=far, recipients=[kov_a], link=link) == []
    )
