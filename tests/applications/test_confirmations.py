"""Withdrawing an application and confirming a selection pass through a page that says what
will happen and to whom; its plain form does it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, SelectionDecision, Status
from programme.models import Municipality, Participation
from tests.applications.test_selection_flow import apply, closed_call
from tests.applications.without_js import post_forms, press
from tests.factories import CallFactory, complete_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(kov_a):
    # The deadline at 16:00 in Tallinn, whatever the server's or the test's clock zone.
    deadline = (timezone.now() + timedelta(days=10)).astimezone(ZoneInfo("Europe/Tallinn"))
    call = CallFactory(deadline_at=deadline.replace(hour=16, minute=0, second=0, microsecond=0))
    draft = services.start_application(call=call, municipality=kov_a.municipality, user=kov_a)
    complete_application(draft)
    return services.submit_application(application=draft, user=kov_a)


def withdraw_url(application: Application) -> str:
    return reverse("application_withdraw", args=[application.pk])


class TestWithdrawing:
    def test_the_page_says_it_becomes_a_draft_to_submit_again_by_the_deadline(
        self, client_for, kov_a, submitted
    ):
        page = client_for(kov_a, "en").get(withdraw_url(submitted))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Withdraw the application?" in html
        assert "goes back to a draft" in html
        deadline: datetime = submitted.call.deadline_at.astimezone(ZoneInfo("Europe/Tallinn"))
        assert "It must be submitted again before the deadline" in html
        assert f"{deadline.day} {deadline:%B} {deadline.year}, 16:00 (Estonian time)" in html
        submitted.refresh_from_db()
        assert submitted.status == Status.SUBMITTED

    def test_the_application_links_to_the_page_and_has_no_one_click_withdrawal(
        self, client_for, kov_a, submitted
    ):
        detail = client_for(kov_a, "en").get(reverse("application_detail", args=[submitted.pk]))
        assert f'href="{withdraw_url(submitted)}"' in detail.content.decode()
        assert not post_forms(detail, withdraw_url(submitted))

    def test_the_plain_form_withdraws(self, client_for, kov_a, submitted):
        client = client_for(kov_a, "en")
        response = press(client, client.get(withdraw_url(submitted)), withdraw_url(submitted))
        assert response.url == reverse("application_detail", args=[submitted.pk])
        submitted.refresh_from_db()
        assert submitted.status == Status.DRAFT and submitted.submitted_at is None

    def test_who_may_never_withdraw_gets_403_with_the_reason(self, client_for, ministry, submitted):
        response = client_for(ministry, "en").get(withdraw_url(submitted))
        assert response.status_code == 403
        assert "Only the municipality&#x27;s own people withdraw its application." in (
            response.content.decode()
        )

    def test_a_draft_shows_the_reason_and_no_form(self, client_for, kov_a, submitted):
        services.withdraw_application(application=submitted, user=kov_a)
        response = client_for(kov_a, "en").get(withdraw_url(submitted))
        assert response.status_code == 200
        assert "Only a submitted application can be withdrawn." in response.content.decode()
        assert not post_forms(response, withdraw_url(submitted))


@pytest.fixture
def scored_call(ministry):
    call = closed_call(2, {2025: 1})
    apply(call, ministry, {"Paide linn": (5, 2025), "Hiiumaa vald": (4, 2025)})
    return call


def selection_url(call) -> str:
    return reverse("selection", args=[call.pk])


class TestConfirmingTheSelection:
    def test_the_proposal_leads_to_the_page_that_says_whom_it_emails(
        self, client_for, ministry, scored_call
    ):
        client = client_for(ministry, "en")
        proposal = client.get(selection_url(scored_call))
        assert "Continue to confirm" in proposal.content.decode()
        page = press(client, proposal, selection_url(scored_call))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Confirm the selection?" in html and "Confirming is final." in html
        assert "goes to every applicant of the call: 2" in html
        for application in scored_call.applications.all():
            assert application.contact_email in html
        assert "Paide linn: a participation from 1 January 2025" in html
        assert "Hiiumaa vald: a participation" not in html
        assert not SelectionDecision.objects.exists() and not mail.outbox

    def test_the_plain_form_confirms_and_every_applicant_is_told(
        self, client_for, ministry, scored_call, django_capture_on_commit_callbacks
    ):
        client = client_for(ministry, "en")
        page = press(client, client.get(selection_url(scored_call)), selection_url(scored_call))
        with django_capture_on_commit_callbacks(execute=True):
            response = press(client, page, selection_url(scored_call), "confirm")
        assert response.status_code == 302
        assert SelectionDecision.objects.count() == 2
        assert Participation.objects.get().municipality.name == "Paide linn"
        assert len(mail.outbox) == 2

    def test_a_change_is_carried_to_the_page_and_can_be_changed_again(
        self, client_for, ministry, scored_call
    ):
        client = client_for(ministry, "en")
        paide = scored_call.applications.get(municipality__name="Paide linn")
        hiiumaa = scored_call.applications.get(municipality__name="Hiiumaa vald")
        swap = {
            f"year_{paide.pk}": "",
            f"year_{hiiumaa.pk}": "2025",
            f"reason_{paide.pk}": "Loobus",
            f"reason_{hiiumaa.pk}": "Paide loobus",
        }
        page = client.post(selection_url(scored_call), swap)
        assert "Hiiumaa vald: a participation from 1 January 2025" in page.content.decode()
        assert "Paide loobus" in page.content.decode()
        back = press(client, page, selection_url(scored_call), "change")
        assert back.status_code == 200 and "Continue to confirm" in back.content.decode()
        assert back.context["form"][f"reason_{hiiumaa.pk}"].value() == "Paide loobus"
        assert not SelectionDecision.objects.exists()
        press(client, page, selection_url(scored_call), "confirm")
        decision = SelectionDecision.objects.get(application=hiiumaa)
        assert decision.start_year == 2025 and decision.change_reason == "Paide loobus"

    def test_who_may_never_confirm_gets_403(self, client_for, kov_a, scored_call):
        response = client_for(kov_a, "en").post(selection_url(scored_call), {"confirm": "1"})
        assert response.status_code == 403
        assert not SelectionDecision.objects.exists()

    def test_before_the_deadline_the_page_says_why_and_nothing_is_asked(
        self, client_for, ministry, scored_call
    ):
        scored_call.deadline_at = timezone.now() + timedelta(days=1)
        scored_call.save()
        client = client_for(ministry, "en")
        response = client.post(selection_url(scored_call), {})
        html = response.content.decode()
        assert "The selection is confirmed after the call&#x27;s deadline." in html
        assert "Confirm the selection?" not in html
        assert not Municipality.objects.filter(participation__isnull=False).exists()
