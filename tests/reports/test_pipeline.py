"""Requesting, rendering, keeping and downloading reports, with the access rule of their data."""

import hashlib
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from reports import rendering, services, tasks
from reports.models import Report
from tests.counselling.conftest import make_participation
from tests.factories import ApplicationFactory, UserFactory, complete_application
from turvaportaal.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def participation(kov_a, provider):
    return make_participation(kov_a, provider.service_provider)


def period() -> dict[str, str]:
    today = timezone.localdate()
    return {
        "period_start": (today - timedelta(days=90)).isoformat(),
        "period_end": today.isoformat(),
    }


def municipality_report(user, participation) -> tuple[Report, bool]:
    return services.request_report(
        kind=Report.Kind.MUNICIPALITY,
        language="et",
        user=user,
        participation=participation,
        period_start=date(timezone.localdate().year, 1, 1),
        period_end=timezone.localdate(),
    )


def request_municipality_report(client, participation, **changes):
    return client.post(
        reverse("report_request_municipality"),
        {"participation": participation.pk, **period(), **changes},
        follow=True,
    )


def test_a_report_is_requested_rendered_and_downloaded(client_for, kov_a, participation):
    response = request_municipality_report(client_for(kov_a, "en"), participation)
    report = Report.objects.get()
    assert response.redirect_chain[-1][0] == reverse("report_detail", args=[report.pk])
    assert report.status == Report.Status.DONE
    assert report.requested_by == kov_a
    download = client_for(kov_a).get(reverse("report_download", args=[report.pk]))
    content = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(content).hexdigest() == report.sha256
    assert len(content) == report.size
    reader = PdfReader(io.BytesIO(content))
    assert "Rapla vald" in reader.pages[0].extract_text()
    # The file as downloaded names its language and has a title, for screen readers.
    assert reader.trailer["/Root"]["/Lang"] == report.language == "en"
    assert reader.metadata.title.startswith("Progress report: Rapla vald")
    status = client_for(kov_a).get(reverse("report_status", args=[report.pk])).json()
    assert status["status"] == "done"
    assert status["download_url"] == reverse("report_download", args=[report.pk])


def test_a_rerun_is_a_new_version_and_the_old_is_kept(client_for, kov_a, participation):
    client = client_for(kov_a, "en")
    request_municipality_report(client, participation)
    response = request_municipality_report(client, participation)
    first, second = Report.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert first.file.name != second.file.name
    assert first.file.storage.exists(first.file.name)
    assert "All versions of this report" in response.content.decode()


def test_who_may_see_the_data_may_see_the_report(
    client_for, kov_a, kov_b, provider, ministry, participation
):
    report, _ = municipality_report(kov_a, participation)
    stranger = UserFactory(role="provider")
    for user, expected in [(kov_a, 200), (provider, 200), (ministry, 200), (kov_b, 404)]:
        for name in ["report_detail", "report_status", "report_download"]:
            response = client_for(user).get(reverse(name, args=[report.pk]))
            assert response.status_code == expected, (user, name)
    assert client_for(stranger).get(reverse("report_download", args=[report.pk])).status_code == 404
    listing = client_for(kov_b).get(reverse("report_list")).content.decode()
    assert reverse("report_detail", args=[report.pk]) not in listing


def test_a_municipality_cannot_request_another_municipalitys_report(
    client_for, kov_b, participation
):
    response = request_municipality_report(client_for(kov_b, "en"), participation)
    assert "Select a valid choice" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_start": "2026-06-01", "period_end": "2026-05-01"}, "on or before its end"),
        ({"period_start": "2099-01-01", "period_end": "2099-02-01"}, "starts in the future"),
        ({"period_start": "eile"}, "Enter a valid date."),
    ],
)
def test_a_bad_period_is_told(client_for, kov_a, participation, changes, message):
    response = request_municipality_report(client_for(kov_a, "en"), participation, **changes)
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_the_programme_report_is_for_ministry_staff(client_for, kov_a, ministry, participation):
    url = reverse("report_request_programme")
    data = {f"programme-{key}": value for key, value in period().items()}
    refused = client_for(kov_a, "en").post(url, data)
    assert refused.status_code == 403
    assert "The programme report is for ministry staff." in refused.content.decode()
    assert 'id="programme-report-heading"' not in (
        client_for(kov_a).get(reverse("report_list")).content.decode()
    )
    client_for(ministry).post(url, data)
    report = Report.objects.get()
    assert report.kind == Report.Kind.PROGRAMME
    assert report.status == Report.Status.DONE


def test_a_submitted_application_prints_and_a_draft_does_not(client_for, kov_a):
    application = complete_application(ApplicationFactory(municipality=kov_a.municipality))
    client = client_for(kov_a, "en")
    url = reverse("report_request_application", args=[application.pk])
    response = client.post(url, follow=True)
    assert "Only a submitted application is printed." in response.content.decode()
    application.submitted_at = timezone.now()
    application.status = "submitted"
    application.save()
    client.post(url)
    assert Report.objects.get().status == Report.Status.DONE


def test_the_service_asks_who_may_see_the_participation(kov_b, participation):
    from turvaportaal.lib.rules import Forbidden

    with (
        translation.override("en"),
        pytest.raises(Forbidden, match="asked for by the municipality, its service provider"),
    ):
        municipality_report(kov_b, participation)
    assert not Report.objects.exists()


def test_the_assigned_provider_may_ask_for_the_report_too(client_for, provider, participation):
    request_municipality_report(client_for(provider, "en"), participation)
    assert Report.objects.get().requested_by == provider


def test_a_report_not_ready_is_not_downloaded_and_its_page_says_why(
    client_for, kov_a, participation
):
    report = Report.objects.create(
        kind=Report.Kind.MUNICIPALITY,
        language="et",
        participation=participation,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
    )
    response = client_for(kov_a, "en").get(
        reverse("report_download", args=[report.pk]), follow=True
    )
    assert response.redirect_chain == [(reverse("report_detail", args=[report.pk]), 302)]
    assert "The report is not ready yet." in response.content.decode()


def test_the_main_tables_are_exported_by_the_ministry(client_for, kov_a, ministry):
    for name, args in [("export_list", []), ("export_table", ["applications", "csv"])]:
        refused = client_for(kov_a, "en").get(reverse(name, args=args))
        assert refused.status_code == 403
        assert "The main tables are exported by the ministry." in refused.content.decode()
    assert (
        reverse("export_list") not in client_for(kov_a).get(reverse("report_list")).content.decode()
    )
    assert (
        reverse("export_list") in client_for(ministry).get(reverse("report_list")).content.decode()
    )


def test_state_changes_refuse_get(client_for, kov_a, participation):
    client = client_for(kov_a)
    assert client.get(reverse("report_request_municipality")).status_code == 405
    assert client.get(reverse("report_request_programme")).status_code == 405


def test_a_report_that_fails_for_good_says_why(
    client_for, kov_a, participation, settings, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker  # the file store refuses every write, attempt after attempt
    response = request_municipality_report(client_for(kov_a, "en"), participation)
    report = Report.objects.get()
    assert report.status == Report.Status.FAILED
    assert report.attempts == 5  # the first try and four retries
    assert "NotADirectoryError" in report.failure_reason
    assert "Why it failed" in response.content.decode()


def test_a_redelivered_message_renders_nothing_twice(kov_a, participation):
    report, _ = municipality_report(kov_a, participation)
    from reports.tasks import render_report

    render_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert report.attempts == 1
    assert Report.objects.count() == 1


@pytest.fixture
def queue_down():
    """The broker is unreachable: requests must not fail, and nothing may be lost."""
    celery_app.conf.task_always_eager = False
    broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app._after_fork()  # forget pooled connections to the working broker
    yield
    celery_app.conf.broker_url = broker
    celery_app._after_fork()
    celery_app.conf.task_always_eager = True


def test_with_the_queue_down_a_request_is_kept_and_sent_later(
    client_for, kov_a, participation, queue_down
):
    response = request_municipality_report(client_for(kov_a, "en"), participation)
    assert response.status_code == 200
    assert "The report queue is unavailable just now" in response.content.decode()
    report = Report.objects.get()
    assert report.status == Report.Status.QUEUED
    celery_app.conf.broker_url = "memory://"
    celery_app._after_fork()
    celery_app.conf.task_always_eager = True
    Report.objects.update(requested_at=timezone.now() - tasks.STALLED_AFTER * 2)
    assert tasks.requeue_stalled_reports() == 1
    report.refresh_from_db()
    assert report.status == Report.Status.DONE


def test_the_quarterly_report_is_made_once_and_mailed_to_the_programme_managers(
    ministry, participation
):
    UserFactory(role="ministry", email="juht@sim.example")
    UserFactory(role="ministry", email="lahkunud@sim.example", is_active=False)
    assert tasks.send_quarterly_programme_report() == 2
    assert tasks.send_quarterly_programme_report() == 0  # the second run finds it sent
    [message] = mail.outbox
    assert sorted(message.to) == ["juht@sim.example", ministry.email]
    [(filename, content, mimetype)] = message.attachments
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    report = Report.objects.get()
    assert report.requested_by is None
    start, end = rendering.previous_quarter(timezone.localdate())
    assert (report.period_start, report.period_end) == (start, end)


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (date(2026, 1, 1), (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 4, 1), (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 11, 22), (date(2026, 7, 1), date(2026, 9, 30))),
    ],
)
def test_previous_quarter(today, quarter):
    assert rendering.previous_quarter(today) == quarter
