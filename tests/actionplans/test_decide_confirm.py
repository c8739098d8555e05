"""The ministry approves or returns a submitted plan on a page that says what each does."""

from datetime import date

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import ActionPlan, Activity, Component
from programme.models import Cohort, Participation
from tests.applications.without_js import post_forms, press

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(kov_a, provider):
    participation = Participation.objects.create(
        municipality=kov_a.municipality,
        cohort=Cohort.objects.create(stage=2, start_year=2026),
        start_on=date(2026, 1, 1),
        end_on=date(2027, 12, 31),
        source=Participation.Source.IMPORT,
        service_provider=provider.service_provider,
    )
    plan = services.start_plan(participation=participation)
    for component in Component:
        Activity.objects.create(
            plan=plan,
            title=component.label,
            component=component,
            start_month=1,
            end_month=3,
            responsible="R",
        )
    services.submit_plan(plan=plan, user=kov_a)
    plan.refresh_from_db()
    return plan


def url(plan):
    return reverse("plan_decide", args=[plan.pk])


def test_the_page_says_what_approving_and_returning_do(client_for, ministry, submitted):
    page = client_for(ministry, "en").get(url(submitted))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Approving freezes the plan as it is now as revision 1" in html
    assert "Returning sends the plan back to the municipality with your comments" in html
    submitted.refresh_from_db()
    assert submitted.status == ActionPlan.Status.SUBMITTED


def test_the_plan_links_to_the_page_and_has_no_one_click_decision(client_for, ministry, submitted):
    detail = client_for(ministry, "en").get(reverse("plan_detail", args=[submitted.pk]))
    assert f'href="{url(submitted)}#approve"' in detail.content.decode()
    assert f'href="{url(submitted)}#return"' in detail.content.decode()
    assert not post_forms(detail, url(submitted))


def test_the_plain_form_approves_as_a_numbered_revision(client_for, ministry, submitted):
    client = client_for(ministry, "en")
    response = press(client, client.get(url(submitted)), url(submitted), "approve")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ActionPlan.Status.APPROVED
    assert list(submitted.revisions.values_list("number", flat=True)) == [1]


def test_the_plain_form_returns_with_the_comments(client_for, ministry, kov_a, submitted):
    client = client_for(ministry, "en")
    page = client.get(url(submitted))
    response = press(client, page, url(submitted), "return", comment="Lisage eelarve.")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ActionPlan.Status.RETURNED
    assert submitted.return_comment == "Lisage eelarve."
    assert not submitted.revisions.exists()


def test_a_return_without_comments_keeps_the_page_and_changes_nothing(
    client_for, ministry, submitted
):
    client = client_for(ministry, "en")
    response = press(client, client.get(url(submitted)), url(submitted), "return", comment=" ")
    assert response.status_code == 200
    assert "Write what should change." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ActionPlan.Status.SUBMITTED


def test_who_may_never_decide_gets_403_with_the_reason(client_for, kov_a, provider, submitted):
    for user in (kov_a, provider):
        response = client_for(user, "en").get(url(submitted))
        assert response.status_code == 403
        assert "Only the ministry approves or returns an action plan." in (
            response.content.decode()
        )


def test_a_plan_not_submitted_shows_the_reason_and_no_form(client_for, ministry, submitted):
    ActionPlan.objects.filter(pk=submitted.pk).update(status=ActionPlan.Status.DRAFT)
    response = client_for(ministry, "en").get(url(submitted))
    assert response.status_code == 200
    assert "Only a plan submitted for approval is approved or returned." in (
        response.content.decode()
    )
    assert not post_forms(response, url(submitted))
