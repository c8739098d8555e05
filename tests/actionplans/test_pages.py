"""The action plan in the browser's terms: who may open and change which page."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from actionplans import services
from actionplans.models import ActionPlan, Activity, Component, Indicator, PlanIndicator
from programme.models import Cohort, Participation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

READ_PAGES = ["plan_detail", "plan_indicators", "plan_updates", "plan_revisions"]
OWN_PAGES = ["plan_text", "plan_problems", "plan_goals", "plan_activities"]


@pytest.fixture
def participation(kov_a, provider):
    return Participation.objects.create(
        municipality=kov_a.municipality,
        cohort=Cohort.objects.create(stage=2, start_year=2026),
        start_on=date(2026, 1, 1),
        end_on=date(2027, 12, 31),
        source=Participation.Source.IMPORT,
        service_provider=provider.service_provider,
    )


@pytest.fixture
def plan(participation):
    return services.start_plan(participation=participation)


def test_the_municipality_opens_its_plan_from_the_dashboard(client_for, kov_a, participation):
    client = client_for(kov_a)
    assert reverse("my_plan") in client.get(reverse("dashboard")).content.decode()
    response = client.post(reverse("my_plan"))
    plan = ActionPlan.objects.get()
    assert response.url == reverse("plan_detail", args=[plan.pk])
    assert plan.updates.count() == 8


def test_another_municipality_gets_404_everywhere(client_for, kov_b, plan):
    client = client_for(kov_b)
    for name in READ_PAGES + OWN_PAGES + ["plan_submit"]:
        assert client.post(reverse(name, args=[plan.pk]), {"safety_field": "x"}).status_code == 404
        assert client.get(reverse(name, args=[plan.pk])).status_code in (404, 405)
    plan.refresh_from_db()
    assert plan.safety_field == ""


def test_the_assigned_provider_and_the_ministry_read_but_do_not_edit(
    client_for, provider, ministry, plan
):
    for user in (provider, ministry):
        client = client_for(user)
        for name in READ_PAGES + OWN_PAGES:
            assert client.get(reverse(name, args=[plan.pk])).status_code == 200, name
        for name in OWN_PAGES:
            assert client.post(reverse(name, args=[plan.pk])).status_code == 403, name
    other_provider = UserFactory(role=Role.PROVIDER)
    assert client_for(other_provider).get(reverse("plan_detail", args=[plan.pk])).status_code == 404


def fill(plan):
    """A plan with something in each part, for the read-only pages to show."""
    plan.safety_field = "Turvalisus on kogukonna asi."
    plan.save()
    plan.bodies.create(name="Turvalisuse komisjon", role="Koordineerib")
    cause = plan.problems.create(title="Noorte alkoholitarvitamine").causes.create(
        title="Vaba aja tegevusi napib"
    )
    goal = plan.goals.create(title="Noored on turvaliselt hõivatud")
    for component in Component:
        activity = Activity.objects.create(
            plan=plan,
            goal=goal,
            title=f"Tegevus: {component.value}",
            component=component,
            start_month=1,
            end_month=6,
            responsible="Koordinaator",
        )
        activity.causes.add(cause)


# What each part shows of the filled plan, and a field only its form has.
SHOWN = {
    "plan_text": ("Turvalisus on kogukonna asi.", 'name="safety_field"'),
    "plan_problems": ("Vaba aja tegevusi napib", 'name="add_problem"'),
    "plan_goals": ("Noored on turvaliselt hõivatud", 'name="goals-TOTAL_FORMS"'),
    "plan_activities": ("Tegevus: training", 'name="activities-TOTAL_FORMS"'),
}


@pytest.mark.parametrize("status", [ActionPlan.Status.SUBMITTED, ActionPlan.Status.APPROVED])
def test_the_ministry_that_decides_opens_every_part_read_only_with_the_reason(
    client_for, ministry, provider, plan, status
):
    """The defect: ministry staff approved a plan and got 403 on its activities, goals and
    field pages. Whoever may see the plan reads each part; who may not change it is told why."""
    fill(plan)
    ActionPlan.objects.filter(pk=plan.pk).update(status=status)
    for user in (ministry, provider):
        client = client_for(user, "en")
        for name, (content, form_field) in SHOWN.items():
            response = client.get(reverse(name, args=[plan.pk]))
            page = response.content.decode()
            assert response.status_code == 200, (user, name)
            assert content in page, (user, name)
            assert form_field not in page, (user, name)
            assert "Only the municipality&#x27;s own people change its action plan." in page
        indicators = client.get(reverse("plan_indicators", args=[plan.pk])).content.decode()
        assert 'name="action"' not in indicators


def test_a_reader_who_posts_is_refused_with_the_reason_and_nothing_changes(
    client_for, ministry, plan
):
    client = client_for(ministry, "en")
    response = client.post(
        reverse("plan_text", args=[plan.pk]),
        {"safety_field": "Ministeeriumi tekst", "bodies-TOTAL_FORMS": "0"},
    )
    assert response.status_code == 403
    assert "Only the municipality&#x27;s own people change its action plan." in (
        response.content.decode()
    )
    for action in ("add", "measure", "import", "own"):
        posted = client.post(reverse("plan_indicators", args=[plan.pk]), {"action": action})
        assert posted.status_code == 403, action
    update = plan.updates.first()
    posted = client.post(
        reverse("plan_updates", args=[plan.pk]), {"update": update.pk, "narrative": "Tehtud"}
    )
    assert posted.status_code == 403
    assert "send its quarterly updates" in posted.content.decode()
    plan.refresh_from_db()
    update.refresh_from_db()
    assert plan.safety_field == "" and update.submitted_at is None


def test_the_municipality_edits_its_draft(client_for, kov_a, plan):
    client = client_for(kov_a, "en")
    page = client.get(reverse("plan_text", args=[plan.pk])).content.decode()
    assert 'name="safety_field"' in page and "own people change" not in page
    response = client.post(
        reverse("plan_text", args=[plan.pk]),
        {
            "safety_field": "Turvalisus on kõigi asi.",
            "bodies-TOTAL_FORMS": "0",
            "bodies-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.safety_field == "Turvalisus on kõigi asi."


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (ActionPlan.Status.SUBMITTED, "waiting for the ministry&#x27;s decision"),
        (ActionPlan.Status.APPROVED, "The plan is approved: start its next revision"),
    ],
)
def test_a_submitted_or_approved_plan_is_not_changed_and_the_typing_stays_beside_the_reason(
    client_for, kov_a, plan, status, reason
):
    ActionPlan.objects.filter(pk=plan.pk).update(status=status)
    client = client_for(kov_a, "en")
    page = client.get(reverse("plan_goals", args=[plan.pk])).content.decode()
    assert reason in page and 'name="goals-TOTAL_FORMS"' not in page
    response = client.post(
        reverse("plan_goals", args=[plan.pk]),
        {"goals-TOTAL_FORMS": "1", "goals-INITIAL_FORMS": "0", "goals-0-title": "Uus eesmärk"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert reason in page
    assert 'value="Uus eesmärk"' in page  # what was typed, in the form, to copy
    assert not plan.goals.exists()
    # The next revision is offered where the plan is approved, and nowhere else.
    assert (reverse("plan_reopen", args=[plan.pk]) in page) == (status == "approved")


def test_the_municipality_starts_the_next_revision_of_its_approved_plan(
    client_for, kov_a, ministry, plan
):
    client = client_for(kov_a, "en")
    refused = client.post(reverse("plan_reopen", args=[plan.pk]), follow=True)
    assert "The plan is not approved: it can be changed as it is." in refused.content.decode()
    assert client_for(ministry).post(reverse("plan_reopen", args=[plan.pk])).status_code == 403
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.APPROVED)
    detail = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Start the next revision" in detail and reverse("plan_submit", args=[plan.pk]) not in (
        detail
    )
    assert client.post(reverse("plan_reopen", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DRAFT
    page = client.get(reverse("plan_goals", args=[plan.pk])).content.decode()
    assert 'name="goals-TOTAL_FORMS"' in page


def test_measurements_are_recorded_while_the_plan_waits_for_approval(client_for, kov_a, plan):
    """Measurements are monitoring, not the plan's content: the plan's state does not stop them,
    and they do not reopen an approved plan."""
    monitored = PlanIndicator.objects.create(
        plan=plan,
        indicator=Indicator.objects.get(code="BUILDING_FIRES"),
        baseline_value=20,
        baseline_on=date(2025, 1, 1),
        target_value=10,
        target_on=date(2027, 12, 31),
    )
    client = client_for(kov_a, "en")
    for status in (ActionPlan.Status.SUBMITTED, ActionPlan.Status.APPROVED):
        ActionPlan.objects.filter(pk=plan.pk).update(status=status)
        page = client.get(reverse("plan_indicators", args=[plan.pk])).content.decode()
        assert 'value="measure"' in page and 'value="add"' not in page
        day = date(2026, 3, 31) if status == "submitted" else date(2026, 6, 30)
        response = client.post(
            reverse("plan_indicators", args=[plan.pk]),
            {"action": "measure", "plan_indicator": monitored.pk, "measured_on": day, "value": 15},
        )
        assert response.status_code == 302
        plan.refresh_from_db()
        assert plan.status == status
    assert monitored.measurements.count() == 2


def test_only_the_municipality_sends_its_quarterly_update(client_for, kov_a, provider, plan):
    update = plan.updates.first()
    url = reverse("plan_updates", args=[plan.pk])
    read = client_for(provider, "en").get(url).content.decode()
    assert 'name="narrative"' not in read
    assert "Only the municipality&#x27;s own people send its quarterly updates." in read
    client = client_for(kov_a, "en")
    assert 'name="narrative"' in client.get(url).content.decode()
    empty = client.post(url, {"update": update.pk, "narrative": " "})
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()
    assert client.post(url, {"update": update.pk, "narrative": "Hästi läks"}).status_code == 302
    update.refresh_from_db()
    assert update.submitted_at is not None and update.submitted_by == kov_a
    again = client.post(url, {"update": update.pk, "narrative": "Veel"}, follow=True)
    assert "This quarter&#x27;s update is sent already." in again.content.decode()


def test_only_a_participating_municipality_starts_its_plan(client_for, provider, kov_a, plan):
    response = client_for(provider, "en").get(reverse("my_plan"))
    assert response.status_code == 403
    assert "Only a participating municipality" in response.content.decode()
    # A started plan is opened, not started again.
    assert client_for(kov_a).post(reverse("my_plan")).url == reverse("plan_detail", args=[plan.pk])
    assert ActionPlan.objects.count() == 1


def test_only_the_ministry_decides(client_for, kov_a, provider, plan):
    for user in (kov_a, provider):
        assert (
            client_for(user)
            .post(reverse("plan_decide", args=[plan.pk]), {"approve": "1"})
            .status_code
            == 403
        )
    assert client_for(kov_a).get(reverse("plan_list")).status_code == 403


def test_editing_saves_and_bad_input_keeps_the_typing(client_for, kov_a, plan):
    client = client_for(kov_a, "en")
    data = {
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "0",
        "activities-0-title": "Ringist Välja võrgustik",
        "activities-0-component": Component.RINGIST_VALJA,
        "activities-0-start_month": "3",
        "activities-0-end_month": "2",
        "activities-0-responsible": "Sotsiaaltöötaja",
        "activities-0-planned_cost": "1500.00",
        "activities-0-status": "planned",
    }
    response = client.post(reverse("plan_activities", args=[plan.pk]), data)
    assert "The end month cannot be before the start month." in response.content.decode()
    assert 'value="Ringist Välja võrgustik"' in response.content.decode()
    assert not plan.activities.exists()
    data["activities-0-end_month"] = "12"
    client.post(reverse("plan_activities", args=[plan.pk]), data)
    assert plan.activities.get().planned_cost == 1500


def test_a_cancelled_activity_needs_its_reason(client_for, kov_a, plan):
    Activity.objects.create(plan=plan, title="T", start_month=1, end_month=2, responsible="R")
    activity = plan.activities.get()
    data = {
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "1",
        "activities-0-id": str(activity.pk),
        "activities-0-title": "T",
        "activities-0-start_month": "1",
        "activities-0-end_month": "2",
        "activities-0-responsible": "R",
        "activities-0-planned_cost": "0",
        "activities-0-status": "cancelled",
        "activities-0-cancel_reason": "",
    }
    response = client_for(kov_a, "en").post(reverse("plan_activities", args=[plan.pk]), data)
    assert "A cancelled activity needs the reason." in response.content.decode()


def test_indicators_show_progress_and_a_chart_and_import_from_csv(client_for, kov_a, plan):
    PlanIndicator.objects.create(
        plan=plan,
        indicator=Indicator.objects.get(code="BUILDING_FIRES"),
        baseline_value=20,
        baseline_on=date(2025, 1, 1),
        target_value=10,
        target_on=date(2027, 12, 31),
    )
    client = client_for(kov_a, "en")
    csv = "indicator;date;value;source\nBUILDING_FIRES;2026-06-30;15;Päästeamet\n"
    client.post(
        reverse("plan_indicators", args=[plan.pk]),
        {"action": "import", "file": SimpleUploadedFile("m.csv", csv.encode())},
    )
    page = client.get(reverse("plan_indicators", args=[plan.pk])).content.decode()
    assert "50% of the way to the target" in page
    assert "<svg" in page
    assert 'class="chart-point"' in page
    # SVG coordinates need a decimal point in every language.
    estonian = client_for(kov_a).get(reverse("plan_indicators", args=[plan.pk])).content.decode()
    assert not re.search(r'(cx|cy|y1|y2)="[0-9]+,[0-9]', estonian)


def test_a_csv_with_dates_and_values_the_portal_cannot_keep_is_refused_row_by_row(
    client_for, kov_a, plan
):
    PlanIndicator.objects.create(
        plan=plan,
        indicator=Indicator.objects.get(code="BUILDING_FIRES"),
        baseline_value=20,
        baseline_on=date(2025, 1, 1),
        target_value=10,
        target_on=date(2027, 12, 31),
    )
    csv = (
        "indicator;date;value\n"
        "BUILDING_FIRES;0001-01-01;15\n"
        "BUILDING_FIRES;2026-06-30;1e999999999\n"
        "BUILDING_FIRES;2026-09-30;12345678901234567890\n"
    )
    response = client_for(kov_a, "en").post(
        reverse("plan_indicators", args=[plan.pk]),
        {"action": "import", "file": SimpleUploadedFile("m.csv", csv.encode())},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give a date between the years 2000 and 2100." in page
    assert page.count("The value has more digits than a measurement keeps") == 2
    assert "Nothing was imported: correct the refused rows." in page
    assert not plan.indicators.get().measurements.exists()


def test_a_csv_without_the_columns_is_refused_whole(client_for, kov_a, plan):
    response = client_for(kov_a, "en").post(
        reverse("plan_indicators", args=[plan.pk]),
        {"action": "import", "file": SimpleUploadedFile("m.csv", b"a,b\n1,2\n")},
    )
    assert "missing: indicator, date, value" in response.content.decode()


def test_the_ministry_returns_a_plan_with_a_comment(client_for, kov_a, ministry, plan):
    for component in Component:
        Activity.objects.create(
            plan=plan,
            title=component.label,
            component=component,
            start_month=1,
            end_month=3,
            responsible="R",
        )
    client_for(kov_a).post(reverse("plan_submit", args=[plan.pk]))
    client_for(ministry).post(
        reverse("plan_decide", args=[plan.pk]), {"comment": "Lisage eelarve."}
    )
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.RETURNED
    page = client_for(kov_a, "en").get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Lisage eelarve." in page


def test_the_catalogue_is_kept_by_the_ministry(client_for, ministry, kov_a):
    indicator = Indicator.objects.get(code="DROWNINGS")
    client_for(ministry).post(
        reverse("indicator_edit", args=[indicator.pk]),
        {"name_et": "Uppumised", "name_en": "Drownings", "unit": "count", "lower_is_better": "on"},
    )
    indicator.refresh_from_db()
    assert indicator.name_et == "Uppumised"
    assert client_for(kov_a).get(reverse("indicator_catalogue")).status_code == 403
