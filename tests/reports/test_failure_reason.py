"""Why a report failed is kept as a code and worded when read, in the reader's language."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from reports import rendering
from reports.models import Report
from tests.counselling.conftest import make_participation

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("reports.migrations.0002_failure_worded_when_read")
TIMED_OUT = "The report took longer than 4 minutes to render."


@pytest.fixture
def report(kov_a, provider):
    return Report.objects.create(
        kind=Report.Kind.MUNICIPALITY,
        language="et",
        participation=make_participation(kov_a, provider.service_provider),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
    )


@pytest.mark.parametrize("failure", [Report.Failure.TIMED_OUT, Report.Failure.ERROR])
def test_the_reason_is_worded_in_the_readers_language(client_for, kov_a, report, failure):
    error = "" if failure == Report.Failure.TIMED_OUT else "OSError: disk full"
    rendering.fail(report.pk, failure, error)
    report.refresh_from_db()
    assert (report.status, report.failure, report.failure_reason) == ("failed", failure, error)
    for language in ("et", "en"):
        client = client_for(kov_a, language)
        page = client.get(reverse("report_detail", args=[report.pk])).content.decode()
        status = client.get(reverse("report_status", args=[report.pk])).json()
        with translation.override(language):
            worded = str(failure.label)
        assert worded in page and worded in status["reason"]
        assert error in status["reason"]
    with translation.override("en"):
        assert report.failure_text.startswith(str(failure.label))


def test_the_migration_turns_stored_english_into_codes(report):
    Report.objects.filter(pk=report.pk).update(status="failed", failure_reason=TIMED_OUT)
    other = Report.objects.create(
        kind=Report.Kind.PROGRAMME,
        language="en",
        status="failed",
        failure_reason="OSError: disk full",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
    )
    MIGRATION.to_codes(apps, None)
    report.refresh_from_db()
    other.refresh_from_db()
    assert (report.failure, report.failure_reason) == ("timed_out", "")
    assert (other.failure, other.failure_reason) == ("error", "OSError: disk full")
    MIGRATION.to_text(apps, None)
    report.refresh_from_db()
    assert report.failure_reason == TIMED_OUT
