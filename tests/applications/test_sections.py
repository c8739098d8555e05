"""Saving the sections: every bad input gets a message, keeps what was typed, and saves nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import BudgetLine
from programme.models import PartnerAgency
from tests.factories import CallFactory, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(kov_a):
    return services.start_application(
        call=CallFactory(), municipality=kov_a.municipality, user=kov_a
    )


@pytest.fixture
def client(kov_a, client_for):
    return client_for(kov_a, "en")


def budget_data(*lines, initial=()):
    data = {
        "budget-TOTAL_FORMS": str(len(initial) + len(lines)),
        "budget-INITIAL_FORMS": str(len(initial)),
    }
    for index, line in enumerate([*initial, *lines]):
        for key, value in line.items():
            data[f"budget-{index}-{key}"] = value
    return data


def line(amount, category="training", description="Koolitus"):
    return {"category": category, "description": description, "amount": amount}


class TestBudget:
    def test_lines_are_saved_as_exact_decimals(self, client, draft):
        client.post(
            reverse("application_budget", args=[draft.pk]),
            budget_data(line("1250.10"), line("0.20"), line("33749.70")),
        )
        assert sorted(draft.budget_lines.values_list("amount", flat=True)) == [
            Decimal("0.20"),
            Decimal("1250.10"),
            Decimal("33749.70"),
        ]
        draft.refresh_from_db()
        assert draft.budget_total == Decimal("35000.00")

    @pytest.mark.parametrize(
        ("amount", "message"),
        [
            ("-10", "Ensure this value is greater than or equal to 0.01."),
            ("0", "Ensure this value is greater than or equal to 0.01."),
            ("tuhat", "Enter the amount as a number"),
            ("10.555", "at most 2 decimals"),
        ],
    )
    def test_a_bad_amount_is_explained_and_nothing_is_saved(self, client, draft, amount, message):
        BudgetLine.objects.create(
            application=draft, category="staff", description="Olemas", amount="100.00"
        )
        response = client.post(
            reverse("application_budget", args=[draft.pk]),
            budget_data(line(amount, description="Uus rida")),
        )
        page = response.content.decode()
        assert message in page
        assert "data-error-summary" in page
        assert 'value="Uus rida"' in page  # what was typed stays on the page
        assert list(draft.budget_lines.values_list("description", flat=True)) == ["Olemas"]

    def test_a_budget_over_the_grant_is_refused_and_the_saved_budget_stays(self, client, draft):
        saved = BudgetLine.objects.create(
            application=draft, category="staff", description="Olemas", amount="30000.00"
        )
        initial = [{"id": str(saved.pk), **line("30000.00", "staff", "Olemas")}]
        response = client.post(
            reverse("application_budget", args=[draft.pk]),
            budget_data(line("5000.01", description="Üle"), initial=initial),
        )
        page = response.content.decode()
        eur = "\N{NO-BREAK SPACE}€"
        assert f"The budget totals 35,000.01{eur}, more than the grant of 35,000.00{eur}." in page
        assert 'value="Üle"' in page
        assert list(draft.budget_lines.values_list("description", flat=True)) == ["Olemas"]

    def test_the_page_shows_the_running_total_for_the_script(self, client, draft):
        page = client.get(reverse("application_budget", args=[draft.pk])).content.decode()
        assert 'data-grant="35000.00"' in page and "data-budget-total" in page


def activity_data(**fields):
    data = {
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "0",
        "activities-0-title": "Olukorra analüüs",
        "activities-0-description": "",
        "activities-0-responsible": "Koordinaator",
        "activities-0-start_month": "1",
        "activities-0-end_month": "4",
    }
    return data | {f"activities-0-{key}": value for key, value in fields.items()}


class TestActivities:
    def test_an_activity_is_saved_with_its_partners_and_drawn_on_the_timeline(self, client, draft):
        ppa, tai = PartnerAgency.objects.filter(code__in=["ppa", "tai"])
        data = activity_data() | {"activities-0-partners": [str(ppa.pk), str(tai.pk)]}
        response = client.post(
            reverse("application_activities", args=[draft.pk]), data, follow=True
        )
        activity = draft.activities.get()
        assert set(activity.partners.all()) == {ppa, tai}
        assert (
            "<svg" in response.content.decode()
            and "Olukorra analüüs: 1–4" in response.content.decode()
        )

    def test_an_end_month_before_the_start_is_refused(self, client, draft):
        response = client.post(
            reverse("application_activities", args=[draft.pk]),
            activity_data(start_month="6", end_month="3"),
        )
        assert "The end month cannot be before the start month." in response.content.decode()
        assert not draft.activities.exists()

    @pytest.mark.parametrize("month", ["25", "0"])
    def test_months_outside_the_programme_are_refused(self, client, draft, month):
        response = client.post(
            reverse("application_activities", args=[draft.pk]), activity_data(end_month=month)
        )
        assert response.status_code == 200
        assert not draft.activities.exists()
        if month == "25":
            assert (
                "The programme lasts 24 months; choose a month from 1 to 24."
                in response.content.decode()
            )


class TestApplicationForm:
    def test_a_bad_e_mail_keeps_everything_typed(self, client, draft):
        data = {
            "contact_name": "Uus Nimi",
            "contact_email": "not-an-address",
            "motivation": "Pikk põhjendus",
            "team-TOTAL_FORMS": "0",
            "team-INITIAL_FORMS": "0",
        }
        response = client.post(reverse("application_form", args=[draft.pk]), data)
        page = response.content.decode()
        assert "Enter a valid email address." in page
        assert "Pikk põhjendus" in page
        draft.refresh_from_db()
        assert draft.motivation == ""

    def test_the_preferred_start_year_is_one_of_the_calls_years(self, client, draft):
        data = {"preferred_start_year": "2031", "team-TOTAL_FORMS": "0", "team-INITIAL_FORMS": "0"}
        response = client.post(reverse("application_form", args=[draft.pk]), data)
        assert "Select a valid choice." in response.content.decode()

    def test_status_in_the_post_is_ignored(self, client, draft):
        data = {"status": "selected", "team-TOTAL_FORMS": "0", "team-INITIAL_FORMS": "0"}
        client.post(reverse("application_form", args=[draft.pk]), data)
        draft.refresh_from_db()
        assert draft.status == "draft"


class TestCouncilDecision:
    def upload(self, client, draft, content, name="otsus.pdf"):
        return client.post(
            reverse("application_decision", args=[draft.pk]),
            {"file": SimpleUploadedFile(name, content, "application/pdf")},
        )

    def test_a_pdf_is_stored_privately_and_a_replacement_keeps_the_history(
        self, client, draft, settings
    ):
        self.upload(client, draft, pdf_bytes(), "esimene.pdf")
        self.upload(client, draft, pdf_bytes(2), "teine.pdf")
        assert [d.original_name for d in draft.council_decisions.all()] == [
            "teine.pdf",
            "esimene.pdf",
        ]
        assert draft.current_decision.original_name == "teine.pdf"
        stored = draft.current_decision.file.path
        assert stored.startswith(str(settings.MEDIA_ROOT))
        assert "teine" not in stored  # the stored name is generated, not the user's

    def test_a_renamed_file_that_is_not_a_pdf_is_refused(self, client, draft):
        response = self.upload(client, draft, b"PK\x03\x04 this is a zip file")
        assert "The file is not a PDF document." in response.content.decode()
        assert not draft.council_decisions.exists()

    def test_a_damaged_pdf_is_refused(self, client, draft):
        response = self.upload(client, draft, b"%PDF-1.7\n garbage without any objects")
        assert "damaged" in response.content.decode()
        assert not draft.council_decisions.exists()

    def test_a_file_over_10_mb_is_refused(self, client, draft):
        big = pdf_bytes() + b"%" * (11 * 1024 * 1024)
        response = self.upload(client, draft, big)
        assert "the limit is 10.0" in response.content.decode()
        assert not draft.council_decisions.exists()

    def test_the_download_is_an_attachment(self, client, draft):
        self.upload(client, draft, pdf_bytes(), "otsus.pdf")
        decision = draft.current_decision
        response = client.get(
            reverse("application_decision_download", args=[draft.pk, decision.pk])
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
