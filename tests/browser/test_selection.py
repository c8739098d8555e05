"""An evaluator scores in real Chromium; the manager reads the proposal, confirms, and the
cohort appears."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.evaluation import ensure_default_criteria
from applications.models import Assignment
from programme.models import Municipality
from tests.browser.conftest import sign_in
from tests.browser.steps import score
from tests.factories import CallFactory, under_evaluation

pytestmark = pytest.mark.browser


def test_an_evaluator_scores_and_the_manager_confirms_the_selection(page, ministry):
    call = CallFactory(
        title="II etapi konkurss",
        opens_at=timezone.now() - timedelta(days=60),
        deadline_at=timezone.now() - timedelta(days=1),
        years={2025: 1},
    )
    ensure_default_criteria(call)
    assignments = []
    for name in ["Tallinn", "Keila linn"]:
        application = under_evaluation(
            call, Municipality.objects.get(name=name), preferred_year=2025
        )
        assignments.append(Assignment.objects.create(application=application, evaluator=ministry))

    sign_in(page, ministry.email)
    score(page, assignments[0], 5)
    score(page, assignments[1], 4)

    page.goto(f"/calls/{call.pk}/selection/")
    expect(page.get_by_role("row", name="Tallinn")).to_contain_text(
        "Valitud (järjestuses 1. koht), alustab 2025. aastal."
    )
    expect(page.get_by_role("row", name="Keila linn")).to_contain_text("Ei valitud")
    # Confirming e-mails every applicant: a page says so before it is done.
    page.get_by_role("button", name="Jätka kinnitamiseni…").click()
    page.get_by_role("button", name="Kinnita valik").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kinnitatud valik")

    page.get_by_role("link", name="Osalused", exact=True).first.click()
    expect(page.get_by_role("row", name="Tallinn")).to_contain_text("II etapp, 2025")
