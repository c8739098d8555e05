"""The action plan by calendar year: each year's plan (its activities and indicator targets)
approved on its own, in order, next year's before the year starts."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actionplans import services
from actionplans.models import (
    ActionPlan,
    Activity,
    Component,
    Indicator,
    IndicatorTarget,
    PlanIndicator,
)
from actionplans.tasks import remind_plan_years
from notifications.models import Kind, Notification
from programme.models import Cohort, Participation

pytestmark = pytest.mark.django_db
TALLINN = ZoneInfo("Europe/Tallinn")


@pytest.fixture
def plan(kov_a):
    # From July to June: three calendar years, the plan's months 1–6, 7–18 and 19–24.
    participation = Participation.objects.create(
        municipality=kov_a.municipality,
        cohort=Cohort.objects.create(stage=2, start_year=2026),
        start_on=date(2026, 7, 1),
        end_on=date(2028, 6, 30),
        source=Participation.Source.IMPORT,
    )
    return services.start_plan(participation=participation)


def plan_activities(plan, start_month, cost="1000.00"):
    for component in Component:
        Activity.objects.create(
            plan=plan,
            title=f"{component} {start_month}",
            component=component,
            start_month=start_month,
            end_month=start_month + 2,
            responsible="Koordinaator",
            planned_cost=Decimal(cost),
        )


def monitor(plan):
    return PlanIndicator.objects.create(
        plan=plan,
        indicator=Indicator.objects.filter(municipality__isnull=True).first(),
        baseline_value=Decimal("10"),
        baseline_on=date(2026, 1, 1),
        target_value=Decimal("6"),
        target_on=date(2028, 6, 30),
    )


def test_the_months_of_a_year_are_the_plans_months_that_fall_in_it(plan):
    participation = plan.participation
    assert participation.calendar_years == [2026, 2027, 2028]
    assert [participation.plan_months_in(year) for year in (2026, 2027, 2028)] == [
        (1, 6),
        (7, 18),
        (19, 24),
    ]
    plan_activities(plan, 6)
    plan_activities(plan, 7)
    by_year = {
        year: set(
            Activity.objects.in_year(participation, year).values_list("start_month", flat=True)
        )
        for year in participation.calendar_years
    }
    assert by_year == {2026: {6}, 2027: {7}, 2028: set()}


def test_each_year_is_submitted_and_approved_on_its_own_in_order(plan, kov_a, ministry):
    plan_activities(plan, 1)
    assert services.year_to_submit(plan) == 2026
    services.submit_plan(plan=plan, user=kov_a)
    plan.refresh_from_db()
    assert (plan.status, plan.submitted_year) == (ActionPlan.Status.SUBMITTED, 2026)
    first = services.approve_plan(plan=plan, user=ministry)
    assert first.year == 2026
    plan.refresh_from_db()
    assert plan.submitted_year is None
    assert services.year_to_submit(plan) == 2027

    # A change to the approved year is approved without approving the next.
    services.reopen_plan(plan=plan, user=kov_a)
    services.submit_plan(plan=plan, user=kov_a)
    change = services.approve_plan(plan=plan, user=ministry)
    assert (change.year, change.number) == (None, 2)

    # Next year's plan needs an activity starting in it, and comes before the year after.
    services.reopen_plan(plan=plan, user=kov_a)
    with pytest.raises(ValidationError) as refused:
        services.submit_plan(plan=plan, user=kov_a, year=2027)
    assert [str(m) for m in refused.value.messages] == [str(services.year_gaps(plan, 2027)[0])]
    with pytest.raises(ValidationError):
        services.submit_plan(plan=plan, user=kov_a, year=2028)
    plan_activities(plan, 8)
    services.submit_plan(plan=plan, user=kov_a, year=2027)
    second = services.approve_plan(plan=plan, user=ministry)
    assert (second.year, second.number) == (2027, 3)
    assert plan.revisions.approved_years() == {2026, 2027}


def test_every_year_approved_a_submission_is_a_change(plan, kov_a, ministry):
    plan_activities(plan, 1)
    plan_activities(plan, 7)
    plan_activities(plan, 19)
    for year in (2026, 2027, 2028):
        services.submit_plan(plan=plan, user=kov_a, year=year)
        services.approve_plan(plan=plan, user=ministry)
        services.reopen_plan(plan=plan, user=kov_a)
    assert services.year_to_submit(plan) is None
    services.submit_plan(plan=plan, user=kov_a)
    assert services.approve_plan(plan=plan, user=ministry).year is None


def test_the_years_table_counts_each_years_activities_cost_and_targets(plan, kov_a):
    plan_activities(plan, 2, "100.00")
    plan_activities(plan, 9, "250.50")
    monitored = monitor(plan)
    services.save_targets(
        plan=plan,
        user=kov_a,
        targets={(monitored.pk, 2026): Decimal("9"), (monitored.pk, 2027): None},
    )
    years = {row.year: row for row in services.plan_years(plan)}
    # Recomputed from the activities' months and the participation's start another way: the
    # calendar month each activity starts in.
    for year, row in years.items():
        starting = [
            activity
            for activity in plan.activities.all()
            if (plan.participation.start_on.month - 1 + activity.start_month - 1) // 12
            + plan.participation.start_on.year
            == year
        ]
        assert row.activities == len(starting)
        assert row.planned_cost == sum((a.planned_cost for a in starting), Decimal("0.00"))
    assert years[2026].untargeted == []
    assert years[2027].untargeted == [str(monitored.indicator)]
    assert (years[2026].due_on, years[2027].due_on) == (None, date(2027, 1, 1))
    assert IndicatorTarget.objects.get().value == Decimal("9")


def test_the_approved_version_keeps_the_yearly_targets(plan, kov_a, ministry):
    plan_activities(plan, 1)
    monitored = monitor(plan)
    services.save_targets(plan=plan, user=kov_a, targets={(monitored.pk, 2026): Decimal("8.5")})
    services.submit_plan(plan=plan, user=kov_a)
    revision = services.approve_plan(plan=plan, user=ministry)
    assert revision.content["indicators"][0]["yearly_targets"] == {"2026": "8.500"}


def test_targets_are_not_changed_while_the_plan_waits_or_is_approved(plan, kov_a):
    plan_activities(plan, 1)
    monitored = monitor(plan)
    services.submit_plan(plan=plan, user=kov_a)
    with pytest.raises(ValidationError):
        services.save_targets(plan=plan, user=kov_a, targets={(monitored.pk, 2026): Decimal("1")})
    assert not IndicatorTarget.objects.exists()


def test_the_targets_page_keeps_what_was_typed_and_says_what_is_wrong(client_for, plan, kov_a):
    monitored = monitor(plan)
    url = reverse("plan_targets", args=[plan.pk])
    client = client_for(kov_a, "en")
    page = client.post(
        url, {f"target_{monitored.pk}_2026": "kümme", f"target_{monitored.pk}_2027": "7"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Write the target as a number" in html and 'value="kümme"' in html
    assert not IndicatorTarget.objects.exists()
    saved = client.post(
        url, {f"target_{monitored.pk}_2026": "8.5", f"target_{monitored.pk}_2027": "7"}
    )
    assert saved.status_code == 302
    assert dict(IndicatorTarget.objects.values_list("year", "value")) == {
        2026: Decimal("8.500"),
        2027: Decimal("7.000"),
    }


def test_next_years_plan_is_reminded_before_the_year_starts(
    plan, kov_a, ministry, django_capture_on_commit_callbacks, monkeypatch
):
    plan_activities(plan, 1)
    week_before = datetime.combine(date(2026, 12, 25), time(8), TALLINN)
    monkeypatch.setattr(timezone, "now", lambda: week_before)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_plan_years() == {"reminded": 1}
        assert remind_plan_years() == {"reminded": 0}
    told = Notification.objects.get(kind=Kind.DEADLINE_SOON)
    assert told.recipient == kov_a

    # Submitted for 2027: the ministry is the one to act, a day before.
    services.submit_plan(plan=plan, user=kov_a)
    services.approve_plan(plan=plan, user=ministry)
    services.reopen_plan(plan=plan, user=kov_a)
    plan_activities(plan, 7)
    services.submit_plan(plan=plan, user=kov_a, year=2027)
    day_before = week_before + timedelta(days=6)
    monkeypatch.setattr(timezone, "now", lambda: day_before)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_plan_years() == {"reminded": 1}
    latest = Notification.objects.filter(kind=Kind.DEADLINE_SOON).latest("pk")
    assert latest.recipient == ministry


def test_the_overview_offers_a_change_or_next_years_plan_and_the_button_says_which(
    client_for, plan, kov_a, ministry
):
    plan_activities(plan, 1)
    client = client_for(kov_a, "en")
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Submit the plan for 2026" in page and "Submit the change" not in page
    client.post(reverse("plan_submit", args=[plan.pk]))
    services.approve_plan(plan=plan, user=ministry)
    services.reopen_plan(plan=plan, user=kov_a)
    plan_activities(plan, 7)
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Submit the change for approval" in page
    assert 'name="year" value="2027"' in page
    client.post(reverse("plan_submit", args=[plan.pk]), {"year": "2027"})
    plan.refresh_from_db()
    assert (plan.status, plan.submitted_year) == (ActionPlan.Status.SUBMITTED, 2027)
