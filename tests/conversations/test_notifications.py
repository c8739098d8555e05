"""Posting tells the thread's other parties, never its author, and no one outside it."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Kind, Notification
from programme.models import Participation
from tests.conversations.conftest import post

pytestmark = pytest.mark.django_db


def told(message) -> set[str]:
    return set(
        Notification.objects.filter(kind=Kind.MESSAGE_POSTED, about_id=message.pk).values_list(
            "recipient__email", flat=True
        )
    )


def emails(people, *names) -> set[str]:
    return {people[name].email for name in names}


def test_a_municipality_s_message_tells_its_colleagues_the_provider_and_the_ministry(
    people, participation
):
    message = post(participation, people["kov_a"], "Küsimus koolituse kohta")
    assert told(message) == emails(
        people, "colleague", "provider", "provider_colleague", "ministry", "ministry_colleague"
    )
    notice = Notification.objects.get(recipient=people["provider"])
    assert notice.link == reverse("conversation", args=[participation.pk]) + (
        f"#message-{message.pk}"
    )
    assert notice.actor == people["kov_a"]
    # The text stays in the thread: the notice only says there is a message.
    assert "Küsimus" not in notice.note


def test_a_provider_s_message_tells_the_municipality_and_the_ministry_but_not_its_author(
    people, participation
):
    message = post(participation, people["provider"], "Kohtumise kokkuvõte")
    assert told(message) == emails(
        people, "kov_a", "colleague", "provider_colleague", "ministry", "ministry_colleague"
    )


def test_a_ministry_message_tells_the_municipality_and_the_provider(people, participation):
    message = post(participation, people["ministry"], "Aruande tähtaeg")
    assert told(message) == emails(
        people, "kov_a", "colleague", "provider", "provider_colleague", "ministry_colleague"
    )


def test_no_one_outside_the_thread_is_told_nor_anyone_inactive(people, participation):
    people["colleague"].is_active = False
    people["colleague"].save()
    message = post(participation, people["ministry"], "Tere")
    outsiders = emails(people, "kov_b", "other_provider", "admin", "county_evaluator")
    assert not told(message) & outsiders
    assert people["colleague"].email not in told(message)


def test_without_a_provider_only_the_municipality_and_the_ministry_are_told(people, participation):
    Participation.objects.filter(pk=participation.pk).update(service_provider=None)
    participation.refresh_from_db()
    message = post(participation, people["kov_a"], "Tere")
    assert told(message) == emails(people, "colleague", "ministry", "ministry_colleague")


def test_the_notices_are_e_mailed_after_the_message_is_saved(
    people, participation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = post(participation, people["kov_a"], "Kohtume reedel kell 10")
    recipients = {address for sent in mail.outbox for address in sent.to}
    assert recipients == told(message)
    assert people["kov_a"].email not in recipients
    assert all("Kohtume reedel" not in sent.body for sent in mail.outbox)


def test_a_refused_message_tells_no_one(client_for, people, participation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("otsus.pdf", b"no", "application/pdf")
    response = client_for(people["kov_a"]).post(
        reverse("conversation", args=[participation.pk]), {"body": "Tere", "attachments": [bad]}
    )
    assert response.status_code == 200
    assert not Notification.objects.exists()
