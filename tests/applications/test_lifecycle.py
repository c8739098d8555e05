from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from applications import rules, services
from applications.models import Application, Status
from tests.factories import ApplicationFactory, CallFactory, complete_application
from turvaportaal.lib.rules import Forbidden

pytestmark = pytest.mark.django_db

# The declaration of the check-answers page, confirmed.
DECLARED = {"council_decided": "on", "data_correct": "on"}


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def draft(call, kov_a):
    return services.start_application(call=call, municipality=kov_a.municipality, user=kov_a)


@pytest.fixture
def complete(draft):
    return complete_application(draft)


def close(call):
    call.deadline_at = timezone.now() - timedelta(seconds=1)
    call.save()


class TestStarting:
    def test_a_municipality_user_starts_an_application_from_an_open_call(
        self, call, kov_a, client_for
    ):
        response = client_for(kov_a).post(reverse("application_start", args=[call.pk]))
        application = Application.objects.get()
        assert response.url == reverse("application_form", args=[application.pk])
        assert application.municipality == kov_a.municipality
        assert application.status == Status.DRAFT
        assert application.contact_email == kov_a.email
        assert [change.to_status for change in application.history.all()] == [Status.DRAFT]

    def test_a_second_application_in_the_same_call_is_refused(self, call, draft, kov_a, client_for):
        response = client_for(kov_a, "en").post(
            reverse("application_start", args=[call.pk]), follow=True
        )
        assert Application.objects.count() == 1
        assert (
            "This municipality already has an application in this call."
            in response.content.decode()
        )
        assert response.redirect_chain[-1][0] == reverse("application_detail", args=[draft.pk])

    def test_the_same_municipality_may_apply_to_another_call(self, draft, kov_a):
        services.start_application(call=CallFactory(), municipality=kov_a.municipality, user=kov_a)
        assert Application.objects.count() == 2

    def test_no_application_is_started_in_a_closed_call(self, call, kov_a, in_english):
        close(call)
        with pytest.raises(ValidationError, match="not accepting"):
            services.start_application(call=call, municipality=kov_a.municipality, user=kov_a)

    def test_the_municipality_dashboard_shows_open_calls_with_the_time_left(
        self, call, kov_a, client_for
    ):
        page = client_for(kov_a, "en").get(reverse("dashboard")).content.decode()
        assert call.title in page
        assert "left" in page and reverse("application_start", args=[call.pk]) in page


class TestCompleteness:
    def test_an_empty_draft_lists_what_is_missing_section_by_section(self, draft):
        sections = {part.section for part in draft.missing_parts()}
        assert sections == {"form", "budget", "activities", "decision"}

    def test_a_complete_draft_misses_nothing(self, complete):
        assert complete.missing_parts() == []

    def test_the_overview_links_each_missing_part_to_its_section(self, draft, kov_a, client_for):
        page = (
            client_for(kov_a, "en")
            .get(reverse("application_detail", args=[draft.pk]))
            .content.decode()
        )
        for name in [
            "application_form",
            "application_budget",
            "application_activities",
            "application_decision",
        ]:
            assert reverse(name, args=[draft.pk]) in page
        assert page.count("Not started") == 4

    def test_a_submit_with_missing_sections_is_refused(self, draft, kov_a, client_for):
        response = client_for(kov_a, "en").post(
            reverse("application_submit", args=[draft.pk]), DECLARED
        )
        assert "Upload the council&#x27;s decision to apply." in response.content.decode()
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT


class TestSubmitting:
    def test_submit_shows_a_receipt_and_e_mails_the_contact_person(
        self, complete, kov_a, client_for, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(kov_a).post(
                reverse("application_submit", args=[complete.pk]), DECLARED
            )
        assert response.url == reverse("application_receipt", args=[complete.pk])
        complete.refresh_from_db()
        assert complete.status == Status.SUBMITTED and complete.submitted_at is not None
        receipt = client_for(kov_a, "en").get(response.url).content.decode()
        assert "Application submitted" in receipt and "was received on" in receipt
        [message] = mail.outbox
        assert message.to == ["kontakt@rapla.example"]
        assert complete.municipality.name in message.subject
        assert (
            "20\N{NO-BREAK SPACE}000,00\N{NO-BREAK SPACE}€" in message.body
            and "Analüüs" in message.body
        )

    def test_a_submitted_application_is_read_only(self, complete, kov_a, client_for):
        services.submit_application(application=complete, user=kov_a)
        client = client_for(kov_a, "en")
        response = client.get(reverse("application_budget", args=[complete.pk]), follow=True)
        assert (
            "A submitted application cannot be changed. Withdraw it first."
            in response.content.decode()
        )
        client.post(reverse("application_form", args=[complete.pk]), {"motivation": "muudetud"})
        complete.refresh_from_db()
        assert complete.motivation == "motivation text"

    def test_withdrawing_returns_it_to_draft_and_it_can_be_submitted_again(
        self, complete, kov_a, client_for
    ):
        services.submit_application(application=complete, user=kov_a)
        client_for(kov_a).post(reverse("application_withdraw", args=[complete.pk]))
        complete.refresh_from_db()
        assert complete.status == Status.DRAFT and complete.submitted_at is None
        services.submit_application(application=complete, user=kov_a)
        with translation.override("en"):
            descriptions = [change.description for change in complete.history.all()]
        assert descriptions == [
            "Application started",
            "Submitted",
            "Withdrawn for changes",
            "Submitted",
        ]
        assert all(change.changed_by == kov_a for change in complete.history.all())

    def test_a_submit_at_the_deadline_is_refused(self, complete, kov_a, in_english):
        with pytest.raises(ValidationError, match="deadline has passed"):
            services.submit_application(
                application=complete, user=kov_a, at=complete.call.deadline_at
            )
        services.submit_application(
            application=complete, user=kov_a, at=complete.call.deadline_at - timedelta(seconds=1)
        )

    def test_after_the_deadline_nothing_changes(self, complete, kov_a, client_for):
        close(complete.call)
        client = client_for(kov_a, "en")
        response = client.post(
            reverse("application_submit", args=[complete.pk]), DECLARED, follow=True
        )
        assert "The call&#x27;s deadline has passed" in response.content.decode()
        client.post(reverse("application_form", args=[complete.pk]), {"motivation": "hilja"})
        complete.refresh_from_db()
        assert complete.status == Status.DRAFT and complete.motivation == "motivation text"

    def test_a_submitted_application_cannot_be_withdrawn_after_the_deadline(self, complete, kov_a):
        services.submit_application(application=complete, user=kov_a)
        close(complete.call)
        with pytest.raises(ValidationError):
            services.withdraw_application(application=complete, user=kov_a)


class TestEvaluation:
    def test_after_the_deadline_the_ministry_moves_submitted_applications_to_evaluation(
        self, complete, kov_a, ministry, client_for
    ):
        services.submit_application(application=complete, user=kov_a)
        other_draft = ApplicationFactory(
            call=complete.call, municipality_id=complete.municipality_id + 1
        )
        close(complete.call)
        client_for(ministry).post(reverse("call_start_evaluation", args=[complete.call.pk]))
        complete.refresh_from_db()
        other_draft.refresh_from_db()
        assert complete.status == Status.UNDER_EVALUATION
        assert other_draft.status == Status.DRAFT
        assert complete.history.last().changed_by == ministry

    def test_evaluation_does_not_start_before_the_deadline(self, complete, kov_a, ministry):
        services.submit_application(application=complete, user=kov_a)
        with pytest.raises(ValidationError):
            services.start_evaluation(call=complete.call, user=ministry)


def test_a_municipality_already_in_the_programme_cannot_apply(call, kov_a, client_for, in_english):
    from datetime import date

    from programme.models import Cohort, Participation

    Participation.objects.create(
        municipality=kov_a.municipality,
        cohort=Cohort.objects.create(stage=1, start_year=2023),
        start_on=date(2023, 7, 1),
        end_on=date(2025, 6, 30),
        source=Participation.Source.IMPORT,
    )
    # A municipality in the programme never applies again: refused for who it is, not when.
    with pytest.raises(Forbidden, match="already takes part"):
        services.start_application(call=call, municipality=kov_a.municipality, user=kov_a)
    response = client_for(kov_a, "en").post(reverse("application_start", args=[call.pk]))
    assert response.status_code == 403
    assert "already takes part in the programme" in response.content.decode()
    assert not Application.objects.exists()
    page = client_for(kov_a, "en").get(reverse("dashboard")).content.decode()
    assert "In the programme" in page
    assert reverse("application_start", args=[call.pk]) not in page


class TestTheDeadline:
    """The deadline is a moment, set in Estonian time; the server compares it with its own
    clock, whatever zone is active (applications.submit, applications.edit)."""

    @pytest.fixture
    def draft(self, kov_a):
        tallinn = ZoneInfo("Europe/Tallinn")
        call = CallFactory(
            opens_at=datetime(2023, 4, 4, 10, tzinfo=tallinn),
            deadline_at=datetime(2023, 5, 10, 10, tzinfo=tallinn),
        )
        return complete_application(ApplicationFactory(call=call, municipality=kov_a.municipality))

    @pytest.mark.parametrize("active_zone", ["Europe/Tallinn", "UTC", "America/New_York"])
    def test_ten_oclock_in_tallinn_is_seven_utc_in_summer(self, draft, kov_a, active_zone):
        utc = ZoneInfo("UTC")
        with timezone.override(active_zone), translation.override("en"):
            assert rules.may_submit(kov_a, draft, datetime(2023, 5, 10, 6, 59, 59, tzinfo=utc))
            refused = rules.may_submit(kov_a, draft, datetime(2023, 5, 10, 7, tzinfo=utc))
        assert (
            str(refused) == "The call's deadline has passed; applications are no longer accepted."
        )
        assert not refused.forbidden

    def test_a_draft_past_the_deadline_says_why_it_cannot_be_submitted(
        self, draft, kov_a, client_for
    ):
        page = (
            client_for(kov_a, "en")
            .get(reverse("application_detail", args=[draft.pk]))
            .content.decode()
        )
        assert "The deadline was 10 May 2023, 10:00." in page
        assert "The call&#x27;s deadline has passed; applications are no longer accepted." in page
        assert reverse("application_submit", args=[draft.pk]) not in page
        assert reverse("application_form", args=[draft.pk]) not in page
