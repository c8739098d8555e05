"""With Redis down (the Celery broker and the cache) the portal keeps working.

The broker and the cache point to a closed port, so every connection to them really fails.
Pages render, a report request is saved and says it waits for the queue, and the e-mails that
would be queued are sent from the web process.
"""

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from applications.models import Application, Status
from reports.models import Report
from tests.test_url_matrix import MATRIX, POST_ONLY, ROUTE_NAMES, signed_in, url_of
from tests.test_url_matrix import world as world  # the URL matrix's data set
from tests.test_url_matrix import world_of_the_module as world_of_the_module
from turvaportaal.celery import app as celery_app

pytestmark = pytest.mark.django_db

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE,
        }
    }
    broker = celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = UNREACHABLE
    celery_app._after_fork()  # forget pooled connections to a working broker
    yield
    celery_app.conf.broker_url = broker
    celery_app._after_fork()
    celery_app.conf.task_always_eager = True


def test_every_page_renders(world, redis_down):
    for persona in ("kov_a", "provider", "ministry"):
        client = signed_in(world.users[persona])
        for name in ROUTE_NAMES:
            if name in POST_ONLY or name in ("logout", "set_language"):
                continue
            response = client.get(url_of(world, name))
            assert response.status_code == MATRIX[name][persona], (name, persona)


@pytest.mark.parametrize(
    ("persona", "route"),
    [
        ("kov_a", "report_request_municipality"),
        ("ministry", "report_request_programme"),
        ("ministry", "report_request_application"),
    ],
)
def test_a_report_request_is_saved_and_says_the_queue_is_unavailable(
    persona, route, world, redis_down
):
    # Only a submitted application is printed.
    Application.objects.filter(pk=world.application.pk).update(
        status=Status.SUBMITTED, submitted_at=timezone.now()
    )
    today = timezone.localdate()
    period = {"period_start": today.replace(month=1, day=1).isoformat(), "period_end": today}
    # The municipality's form and the programme's (its fields prefixed); the application's
    # PDF is a button.
    data = {"participation": world.participation_a.pk, **period}
    data |= {f"programme-{name}": value for name, value in period.items()}
    response = signed_in(world.users[persona]).post(url_of(world, route), data, follow=True)
    assert response.status_code == 200
    assert "The report queue is unavailable just now" in response.content.decode()
    report = Report.objects.exclude(pk=world.report.pk).get()
    assert report.status == Report.Status.QUEUED


def test_a_submission_is_saved_and_its_receipt_still_sent(
    world, redis_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(world.users["kov_a"]).post(
            url_of(world, "application_submit"), {"council_decided": "on", "data_correct": "on"}
        )
    assert response.status_code == 302
    world.application.refresh_from_db()
    assert world.application.status == Status.SUBMITTED
    receipt, notice = mail.outbox  # the ministry's notice of the submission too
    assert receipt.to == [world.application.contact_email]
    assert notice.to == [world.users["ministry"].email]


def test_an_invitation_is_saved_and_its_e_mail_still_sent(
    world, redis_down, django_capture_on_commit_callbacks
):
    fields: dict[str, Any] = {
        "email": "uus.kolleeg@rapla.example",
        "full_name": "Uus Kolleeg",
        "position": "spetsialist",
        "role": Role.MUNICIPALITY,
        "municipality": world.users["kov_a"].municipality_id,
        "language": "et",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(world.users["ministry"]).post(reverse("invite"), fields)
    assert response.status_code == 302
    assert User.objects.filter(email="uus.kolleeg@rapla.example").exists()
    [invitation] = mail.outbox
    assert invitation.to == ["uus.kolleeg@rapla.example"]
