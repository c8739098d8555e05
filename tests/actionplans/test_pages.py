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
        for name in READ_PAGES:
            assert client.get(reverse(name, args=[plan.pk])).status_code == 200
        for name in OWN_PAGES:
            assert client.post(reverse(name, args=[plan.pk])).status_code == 403
    other_provider = UserFactory(role=Role.PROVIDER)
    assert client_for(other_provider).get(reverse("plan_detail", args=[plan.pk])).status_code == 404


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
        {"name_et": "Uppumised", "name_en": "Drownings", "unit": "arv", "lower_is_better": "on"},
    )
    indicator.refresh_from_db()
    assert indicator.name_et == "Uppumised"
    assert client_for(kov_a).get(reverse("indicator_catalogue")).status_code == 403
