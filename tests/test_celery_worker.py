"""The task pipeline end to end: Redis as broker and a real Celery worker."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction
from django.urls import reverse

from accounts import services
from accounts.models import Role
from notifications.models import Kind, Notification
from notifications.services import notify
from tests.factories import ApplicationFactory
from turvaportaal.celery import app as celery_app

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL names no Redis"),
]


@pytest.fixture
def worker(transactional_db):
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def test_an_invitation_e_mail_is_sent_by_the_worker(worker, ministry):
    services.invite_user(
        invited_by=ministry,
        email="worker@example.org",
        full_name="Töötaja Test",
        role=Role.MINISTRY,
    )
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    [message] = mail.outbox
    assert message.to == ["worker@example.org"]
    assert "/accounts/invitation/" in message.body


def test_a_notice_is_e_mailed_by_the_worker_after_the_change_commits(worker, kov_a, ministry):
    application = ApplicationFactory(municipality=kov_a.municipality)
    with transaction.atomic():
        notify(
            Kind.DEADLINE_SOON,
            recipients=[kov_a],
            about=application,
            link=reverse("application_detail", args=[application.pk]),
            actor=ministry,
        )
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    [message] = mail.outbox
    assert message.to == [kov_a.email]
    assert Notification.objects.get().emailed_at is not None
