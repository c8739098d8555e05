from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from actionplans import services
from actionplans.forms import PlanTextForm
from actionplans.models import (
    ActionPlan,
    Activity,
    Component,
    Indicator,
    PlanIndicator,
    ProgressUpdate,
)
from actionplans.tasks import remind_progress_updates
from audit.models import AuditEvent
from programme.models import Cohort, Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def participation(kov_a):
    return Participation.objects.create(
        municipality=kov_a.municipality,
        cohort=Cohort.objects.create(stage=2, start_year=2026),
        start_on=date(2026, 1, 1),
        end_on=date(2027, 12, 31),
        source=Participation.Source.IMPORT,
    )


@pytest.fixture
def plan(participation):
    return services.start_plan(participation=participation)


def activity(plan, component, status=Activity.Status.PLANNED, **extra):
    return Activity.objects.create(
        plan=plan,
        title=f"Tegevus {component}",
        component=component,
        start_month=1,
        end_month=6,
        responsible="Koordinaator",
        status=status,
        cancel_reason="Ei toimu" if status == Activity.Status.CANCELLED else "",
        **extra,
    )


def test_a_plan_gets_a_progress_update_for_every_quarter_of_the_two_years(plan):
    updates = list(plan.updates.all())
    assert len(updates) == 8
    assert updates[0].quarter_start_on == date(2026, 1, 1)
    assert updates[0].due_on == date(2026, 4, 15)
    assert updates[-1].due_on == date(2028, 1, 15)


def test_a_plan_with_an_unmet_component_cannot_be_submitted(plan, kov_a, in_english):
    for component in list(Component)[:-1]:
        activity(plan, component)
    activity(plan, Component.SHARING, status=Activity.Status.CANCELLED)
    assert services.unmet_components(plan) == [Component.SHARING]
    with pytest.raises(ValidationError, match="No planned activity for: Sharing experience"):
        services.submit_plan(plan=plan, user=kov_a)
    activity(plan, Component.SHARING)
    services.submit_plan(plan=plan, user=kov_a)
    assert ActionPlan.objects.get().status == ActionPlan.Status.SUBMITTED


def test_problems_without_activities_and_activities_without_causes_are_pointed_out(plan):
    problem = plan.problems.create(title="Noorte alkoholitarvitamine")
    cause = problem.causes.create(title="Vaba aja tegevuste puudus")
    other = problem.causes.create(title="Alkoholi kättesaadavus")
    linked = activity(plan, Component.YOUTH_PREVENTION)
    linked.causes.add(cause)
    activity(plan, Component.TRAINING)
    untouched = plan.problems.create(title="Tulekahjud")
    untouched.causes.create(title="Suitsuandurid puuduvad")
    gaps = services.tree_gaps(plan)
    assert gaps.problems_without_activity == ["Tulekahjud"]
    assert gaps.causes_without_activity == [other.title, "Suitsuandurid puuduvad"]
    assert gaps.activities_without_cause == ["Tegevus training"]


def test_approval_keeps_a_revision_and_a_later_change_needs_approval_again(
    plan, kov_a, ministry, in_english
):
    for component in Component:
        activity(plan, component)
    plan.safety_field = "Turvalisus on kogukonna asi."
    plan.save()
    services.submit_plan(plan=plan, user=kov_a)
    first = services.approve_plan(plan=plan, user=ministry)
    assert first.number == 1 and first.content["safety_field"] == "Turvalisus on kogukonna asi."

    plan.refresh_from_db()
    text = {"safety_field": "Turvalisus on kõigi asi.", "situation": "", "data_sources": ""}
    form = PlanTextForm(text | {"outlook": ""}, instance=plan)
    assert form.is_valid()
    # An approved plan is not changed as it is: its next revision is started first.
    with pytest.raises(ValidationError, match="start its next revision"):
        services.save_plan_part(plan=plan, user=kov_a, form=form)
    services.reopen_plan(plan=plan, user=kov_a)
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DRAFT
    reopened = AuditEvent.objects.about(plan).get(detail="action plan reopened for a revision")
    assert (reopened.actor, reopened.after) == (kov_a, {"status": "draft"})
    form = PlanTextForm(text | {"outlook": ""}, instance=plan)
    assert form.is_valid()
    services.save_plan_part(plan=plan, user=kov_a, form=form)
    services.submit_plan(plan=plan, user=kov_a)
    second = services.approve_plan(plan=plan, user=ministry)
    assert services.revision_diff(first.content, second.content) == [
        "-safety_field: Turvalisus on kogukonna asi.",
        "+safety_field: Turvalisus on kõigi asi.",
    ]


def test_a_returned_plan_carries_the_comment(plan, kov_a, ministry, in_english):
    for component in Component:
        activity(plan, component)
    services.submit_plan(plan=plan, user=kov_a)
    with pytest.raises(ValidationError):
        services.return_plan(plan=plan, comment="  ", user=ministry)
    services.return_plan(plan=plan, comment="Lisage sihtväärtused.", user=ministry)
    plan.refresh_from_db()
    assert (
        plan.status == ActionPlan.Status.RETURNED and plan.return_comment == "Lisage sihtväärtused."
    )


class TestImport:
    @pytest.fixture
    def monitored(self, plan):
        return PlanIndicator.objects.create(
            plan=plan,
            indicator=Indicator.objects.get(code="ROAD_INJURED"),
            baseline_value=12,
            baseline_on=date(2025, 1, 1),
            target_value=8,
            target_on=date(2027, 12, 31),
        )

    def test_good_rows_are_imported(self, plan, monitored, kov_a):
        rows = [
            {
                "indicator": "ROAD_INJURED",
                "date": "2026-03-31",
                "value": "11",
                "source": "Transpordiamet",
            },
            {"indicator": "ROAD_INJURED", "date": "2026-06-30", "value": "10,5", "source": ""},
        ]
        report = services.import_measurements(plan=plan, user=kov_a, rows=rows)
        assert [row.refused for row in report] == ["", ""]
        assert list(monitored.measurements.values_list("value", flat=True)) == [
            Decimal("11"),
            Decimal("10.5"),
        ]

    def test_one_bad_row_imports_nothing_and_every_refusal_says_why(
        self, plan, monitored, kov_a, in_english
    ):
        monitored.measurements.create(value=12, measured_on=date(2026, 1, 31))
        rows = [
            {"indicator": "ROAD_INJURED", "date": "2026-03-31", "value": "11"},
            {"indicator": "UNKNOWN", "date": "2026-03-31", "value": "11"},
            {"indicator": "ROAD_INJURED", "date": "31.03.2026", "value": "11"},
            {"indicator": "ROAD_INJURED", "date": "2026-04-30", "value": "palju"},
            {"indicator": "ROAD_INJURED", "date": "2026-01-31", "value": "9"},
            {"indicator": "ROAD_INJURED", "date": "2026-03-31", "value": "10"},
        ]
        report = services.import_measurements(plan=plan, user=kov_a, rows=rows)
        assert [row.refused for row in report] == [
            "",
            "The plan does not monitor the indicator “UNKNOWN”.",
            "The date is not a date (YYYY-MM-DD).",
            "The value is not a number.",
            "There is already a measurement of this indicator on that date.",
            "There is already a measurement of this indicator on that date.",
        ]
        assert monitored.measurements.count() == 1

    def test_dates_outside_the_programme_years_and_values_too_long_are_refused_row_by_row(
        self, plan, monitored, kov_a, in_english
    ):
        rows = [
            {"indicator": "ROAD_INJURED", "date": "0001-01-01", "value": "1"},
            {"indicator": "ROAD_INJURED", "date": "9999-12-31", "value": "1"},
            {"indicator": "ROAD_INJURED", "date": "2026-03-31", "value": "1234567890"},
            {"indicator": "ROAD_INJURED", "date": "2026-04-30", "value": "0,0001"},
            {"indicator": "ROAD_INJURED", "date": "2026-05-31", "value": "1e999999999"},
            {"indicator": "ROAD_INJURED", "date": "2026-06-30", "value": "1", "source": "x" * 301},
            {"indicator": "ROAD_INJURED", "date": "2026-07-31", "value": "1", "source": "a\x00b"},
            # The largest value the column keeps; trailing zeros are no digits.
            {"indicator": "ROAD_INJURED", "date": "2026-08-31", "value": "999999999.9990"},
        ]
        years = "Give a date between the years 2000 and 2100."
        digits = (
            "The value has more digits than a measurement keeps: at most 9 before the decimal "
            "point and 3 after it."
        )
        report = services.import_measurements(plan=plan, user=kov_a, rows=rows)
        assert [(row.line, row.refused) for row in report] == [
            (2, years),
            (3, years),
            (4, digits),
            (5, digits),
            (6, digits),
            (7, "The source is longer than 300 characters."),
            (8, "The source contains a null character."),
            (9, ""),
        ]
        assert not monitored.measurements.exists()

    def test_the_first_and_last_programme_years_and_the_largest_value_are_kept(
        self, plan, monitored, kov_a
    ):
        rows = [
            {"indicator": "ROAD_INJURED", "date": "2000-01-01", "value": "999999999.999"},
            {"indicator": "ROAD_INJURED", "date": "2100-12-31", "value": "-0,500", "source": "x"},
        ]
        report = services.import_measurements(plan=plan, user=kov_a, rows=rows)
        assert [row.refused for row in report] == ["", ""]
        assert list(monitored.measurements.values_list("measured_on", "value")) == [
            (date(2000, 1, 1), Decimal("999999999.999")),
            (date(2100, 12, 31), Decimal("-0.5")),
        ]

    def test_only_the_municipality_imports_measurements(self, plan, monitored, ministry):
        with pytest.raises(PermissionDenied):
            services.import_measurements(
                plan=plan,
                user=ministry,
                rows=[{"indicator": "ROAD_INJURED", "date": "2026-03-31", "value": "1"}],
            )


def test_the_daily_task_reminds_a_week_and_a_day_ahead_and_marks_overdue_updates(
    plan, kov_a, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    plan.updates.update(due_on=today + timedelta(days=100))
    first, second, *_rest = plan.updates.all()
    ProgressUpdate.objects.filter(pk=first.pk).update(due_on=today - timedelta(days=1))
    ProgressUpdate.objects.filter(pk=second.pk).update(due_on=today + timedelta(days=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_progress_updates() == {"reminded": 1, "marked_overdue": 1}
    [message] = mail.outbox
    assert message.to == [kov_a.email]
    assert reverse("plan_updates", args=[plan.pk]) in message.body
    assert remind_progress_updates() == {"reminded": 0, "marked_overdue": 0}
    assert ProgressUpdate.objects.overdue().get().pk == first.pk
    # The day before, once more.
    ProgressUpdate.objects.filter(pk=second.pk).update(due_on=today + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_progress_updates() == {"reminded": 1, "marked_overdue": 0}
    assert remind_progress_updates() == {"reminded": 0, "marked_overdue": 0}
    assert len(mail.outbox) == 2


def test_celery_beat_runs_the_reminders_every_morning(settings):
    from turvaportaal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["remind-progress-updates"]
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {7}
