"""The application as a task list: each section's state, "save and continue", the answers checked
with a declaration before submitting, the confirmation with its receipt number, and a county
without free places told before a municipality starts."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, Section, Status, TaskState, TeamMember
from programme.models import Cohort, Municipality, Participation
from tests.applications.test_lifecycle import DECLARED
from tests.applications.test_lifecycle import call as call
from tests.applications.test_lifecycle import draft as draft
from tests.factories import complete_application, pdf_bytes

pytestmark = pytest.mark.django_db


def states(application: Application) -> list[tuple[str | None, str]]:
    fresh = Application.objects.get(pk=application.pk)
    return [(task.section, task.state) for task in fresh.task_list()]


def task_rows(page: str) -> list[tuple[str, str]]:
    """The task list as a person reads it: each line's name and its state."""
    return re.findall(
        r'<li class="list-group-item[^"]*">\s*<div class="me-auto">\s*<(?:a|span)[^>]*>'
        r"\d+\. ([^<]+)</(?:a|span)>.*?<strong[^>]*>([^<]+)</strong>",
        page,
        re.S,
    )


class TestTheTaskList:
    def test_a_new_draft_has_every_section_not_started_and_the_submission_waiting(self, draft):
        assert states(draft) == [
            (Section.FORM, TaskState.NOT_STARTED),
            (Section.BUDGET, TaskState.NOT_STARTED),
            (Section.ACTIVITIES, TaskState.NOT_STARTED),
            (Section.DECISION, TaskState.NOT_STARTED),
            (None, TaskState.CANNOT_START),
        ]

    def test_a_section_begun_but_lacking_something_is_in_progress_with_what_it_lacks(
        self, draft, in_english
    ):
        TeamMember.objects.create(
            application=draft, name="Ametnik", kind=TeamMember.Kind.OFFICIAL, role="juht"
        )
        [form, *_rest] = Application.objects.get(pk=draft.pk).task_list()
        assert form.state == TaskState.IN_PROGRESS
        assert "Add at least one council member to the team." in form.reasons

    def test_a_complete_draft_has_every_section_completed_and_the_submission_open(self, draft):
        complete_application(draft)
        assert states(draft) == [
            (Section.FORM, TaskState.COMPLETED),
            (Section.BUDGET, TaskState.COMPLETED),
            (Section.ACTIVITIES, TaskState.COMPLETED),
            (Section.DECISION, TaskState.COMPLETED),
            (None, TaskState.NOT_STARTED),
        ]

    def test_the_overview_shows_the_states_and_counts_the_completed_sections(
        self, draft, kov_a, client_for
    ):
        complete_application(draft)
        draft.activities.all().delete()
        page = client_for(kov_a, "en").get(reverse("application_detail", args=[draft.pk]))
        rows = task_rows(page.content.decode())
        assert rows == [
            ("Application form", "Completed"),
            ("Budget", "Completed"),
            ("Activity plan and schedule", "Not started"),
            ("Council decision", "Completed"),
            ("Check your answers and submit", "Cannot start yet"),
        ]
        # Counted another way: the sections of the page's rows that say "Completed".
        completed = sum(state == "Completed" for _name, state in rows[:-1])
        assert f"You have completed {completed} of 4 sections." in page.content.decode()
        assert "Complete the section above first." in page.content.decode()
        # The last step cannot be started: it is no link yet.
        assert reverse("application_submit", args=[draft.pk]) not in page.content.decode()

    def test_the_estonian_task_list_speaks_estonian(self, draft, kov_a, client_for):
        page = client_for(kov_a).get(reverse("application_detail", args=[draft.pk]))
        assert ("Taotlusvorm", "Alustamata") in task_rows(page.content.decode())

    def test_the_ministry_reads_a_draft_without_a_task_list(self, draft, ministry, client_for):
        page = client_for(ministry, "en").get(reverse("application_detail", args=[draft.pk]))
        assert page.status_code == 200 and task_rows(page.content.decode()) == []


class TestSaveAndContinue:
    @pytest.mark.parametrize(
        ("section", "following"),
        [
            ("application_form", "application_budget"),
            ("application_budget", "application_activities"),
            ("application_activities", "application_decision"),
        ],
    )
    def test_save_and_continue_leads_to_the_next_section(
        self, draft, kov_a, client_for, section, following
    ):
        complete_application(draft)
        client = client_for(kov_a)
        page = client.get(reverse(section, args=[draft.pk]))
        response = client.post(reverse(section, args=[draft.pk]), _posted(page) | {"continue": ""})
        assert response.status_code == 302
        assert response.url == reverse(following, args=[draft.pk])

    def test_save_and_come_back_later_returns_to_the_task_list(self, draft, kov_a, client_for):
        complete_application(draft)
        client = client_for(kov_a)
        page = client.get(reverse("application_budget", args=[draft.pk]))
        response = client.post(reverse("application_budget", args=[draft.pk]), _posted(page))
        assert response.url == reverse("application_detail", args=[draft.pk])

    def test_the_council_decision_continues_to_the_answers_to_check(self, draft, kov_a, client_for):
        complete_application(draft)
        response = client_for(kov_a).post(
            reverse("application_decision", args=[draft.pk]),
            {
                "file": SimpleUploadedFile("otsus.pdf", pdf_bytes(), "application/pdf"),
                "continue": "",
            },
        )
        assert response.url == reverse("application_submit", args=[draft.pk])


def _posted(page) -> dict[str, object]:
    """What the page's forms would send back unchanged."""
    data: dict[str, object] = {}
    for name in ("form", "team", "budget", "activities"):
        part = page.context.get(name)
        if part is None:
            continue
        forms = [part.management_form, *part.forms] if hasattr(part, "management_form") else [part]
        for form in forms:
            for field in form:
                value = field.value()
                if value is None:
                    continue
                data[field.html_name] = (
                    [str(v) for v in value] if isinstance(value, list) else value
                )
    return data


class TestCheckYourAnswers:
    def test_every_answer_shows_with_a_link_to_change_its_section(self, draft, kov_a, client_for):
        complete_application(draft)
        page = client_for(kov_a, "en").get(reverse("application_submit", args=[draft.pk]))
        html = page.content.decode()
        assert page.status_code == 200
        for section in ("form", "budget", "activities", "decision"):
            assert reverse(f"application_{section}", args=[draft.pk]) in html
        assert html.count(">Change<") == 4
        for answer in ("motivation text", "Koordinaator", "Analüüs", "otsus.pdf"):
            assert answer in html
        assert "Declaration" in html and "Confirm and submit" in html

    def test_without_the_declaration_nothing_is_submitted_and_the_summary_says_why(
        self, draft, kov_a, client_for
    ):
        complete_application(draft)
        response = client_for(kov_a, "en").post(
            reverse("application_submit", args=[draft.pk]), {"council_decided": "on"}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert 'href="#id_data_correct"' in html  # the error summary links to the field
        assert "Confirm that the information is correct." in html
        # What was ticked stays ticked.
        assert re.search(r'name="council_decided"[^>]*checked', html)
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT

    def test_an_incomplete_draft_shows_what_is_missing_and_no_declaration(
        self, draft, kov_a, client_for
    ):
        html = (
            client_for(kov_a, "en")
            .get(reverse("application_submit", args=[draft.pk]))
            .content.decode()
        )
        assert "The application cannot be submitted yet." in html
        assert "Upload the council&#x27;s decision to apply." in html
        assert "Confirm and submit" not in html

    def test_a_submitted_application_is_sent_back_to_its_overview(self, draft, kov_a, client_for):
        complete_application(draft)
        services.submit_application(application=draft, user=kov_a)
        response = client_for(kov_a).get(reverse("application_submit", args=[draft.pk]))
        assert response.url == reverse("application_detail", args=[draft.pk])


class TestTheConfirmation:
    def test_the_confirmation_gives_the_receipt_number_and_what_happens_next(
        self, draft, kov_a, client_for, django_capture_on_commit_callbacks
    ):
        complete_application(draft)
        client = client_for(kov_a, "en")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("application_submit", args=[draft.pk]), DECLARED)
        html = client.get(response.url).content.decode()
        draft.refresh_from_db()
        # The number recomputed from the table: the application and its moment in Tallinn.
        moment = timezone.localtime(draft.submitted_at, timezone.get_default_timezone())
        number = f"{draft.pk}-{moment:%Y%m%d%H%M%S}"
        assert number in html
        assert "What happens next" in html and "contest the decision" in html
        [receipt] = mail.outbox
        assert number in receipt.body and "What happens next" in receipt.body


class TestEligibility:
    @pytest.fixture
    def county_full(self, kov_a):
        """Another municipality of Rapla's county already holds the county's only place."""
        county = kov_a.municipality.county
        county.participant_limit = 1
        county.save()
        neighbour = Municipality.objects.filter(county=county).exclude(pk=kov_a.municipality_id)
        today = timezone.localdate()
        return Participation.objects.create(
            municipality=neighbour.first(),
            cohort=Cohort.objects.create(stage=1, start_year=today.year),
            start_on=today,
            end_on=today + timedelta(days=700),
            source=Participation.Source.SELECTION,
        )

    def test_the_dashboard_says_why_before_the_municipality_starts(
        self, call, kov_a, client_for, county_full
    ):
        html = client_for(kov_a, "en").get(reverse("dashboard")).content.decode()
        assert call.title in html
        assert "Your municipality cannot apply to this call." in html
        assert (
            f"{kov_a.municipality.county.name} has no free place left: at most 1 of its "
            f"municipalities may take part in the programme over all calls, and "
            f"{county_full.municipality.name} already does."
        ) in html
        assert reverse("application_start", args=[call.pk]) not in html

    def test_starting_anyway_is_refused_with_the_reason(self, call, kov_a, client_for, county_full):
        response = client_for(kov_a, "en").post(
            reverse("application_start", args=[call.pk]), follow=True
        )
        assert "has no free place left" in response.content.decode()
        assert not Application.objects.exists()

    def test_a_county_with_a_place_left_may_apply(self, call, kov_a, client_for, county_full):
        county = kov_a.municipality.county
        county.participant_limit = 2
        county.save()
        html = client_for(kov_a, "en").get(reverse("dashboard")).content.decode()
        assert reverse("application_start", args=[call.pk]) in html
