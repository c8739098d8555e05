"""Who may ask for a report, download it, and export the main tables (reports/rules.py): whoever
may see the report's subject; the programme's figures are the ministry's."""

import copy
from types import SimpleNamespace

import pytest
from django.utils import timezone

from reports.models import Report
from tests.rules.table import STAFF, check, row

# Who sees A's participation: A, the provider counselling it, the ministry.
A_COUNSELLED = {"own_municipality", "assigned_provider"} | STAFF
# Who sees A's application: A, the county evaluator assigned to it, the ministry.
A_APPLICATION = {"own_municipality", "county_evaluator"} | STAFF


@pytest.fixture
def world(people, participation, application):
    submitted = copy.copy(application)
    submitted.submitted_at = timezone.now()
    today = timezone.localdate()

    def report(status: str, kind: str, **subject) -> Report:
        dated = kind != Report.Kind.APPLICATION  # a period, but for a printed application
        return Report.objects.create(
            kind=kind,
            language="et",
            status=status,
            requested_by=people["ministry"],
            period_start=today if dated else None,
            period_end=today if dated else None,
            **subject,
        )

    def of_a(status: str) -> Report:
        return report(status, Report.Kind.MUNICIPALITY, participation=participation)

    return SimpleNamespace(
        participation=participation,
        draft=application,
        submitted=submitted,
        ready=of_a(Report.Status.DONE),
        queued=of_a(Report.Status.QUEUED),
        running=of_a(Report.Status.RUNNING),
        failed=of_a(Report.Status.FAILED),
        programme=report(Report.Status.DONE, Report.Kind.PROGRAMME),
        queued_programme=report(Report.Status.QUEUED, Report.Kind.PROGRAMME),
        printed=report(Report.Status.DONE, Report.Kind.APPLICATION, application=application),
    )


TABLE = [
    row("reports.request", "A's progress", lambda w: (w.participation,), allowed=A_COUNSELLED),
    row("reports.request", "the programme", lambda w: (None,), allowed=STAFF),
    row("reports.request", "A's submitted application", lambda w: (w.submitted,), A_APPLICATION),
    row("reports.request", "A's draft", lambda w: (w.draft,), not_now=A_APPLICATION),
    row("reports.download", "A's, ready", lambda w: (w.ready,), allowed=A_COUNSELLED),
    row("reports.download", "A's, queued", lambda w: (w.queued,), not_now=A_COUNSELLED),
    row("reports.download", "A's, rendering", lambda w: (w.running,), not_now=A_COUNSELLED),
    row("reports.download", "A's, failed", lambda w: (w.failed,), not_now=A_COUNSELLED),
    row("reports.download", "the programme's, ready", lambda w: (w.programme,), allowed=STAFF),
    row("reports.download", "the programme's, queued", lambda w: (w.queued_programme,), (), STAFF),
    row("reports.download", "A's application", lambda w: (w.printed,), allowed=A_APPLICATION),
    row("reports.export", "the main tables", lambda w: (), allowed=STAFF),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
