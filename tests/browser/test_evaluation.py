"""The evaluator scores beside the applicant's answers and what each score means; the ministry
gives many applications their evaluators at once. In real Chromium, axe on the scoring page."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.models import Role
from applications import evaluation
from applications.models import Assignment, BudgetLine
from programme.models import Municipality
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import Checker
from tests.factories import CallFactory, UserFactory, under_evaluation
from turvaportaal.lib.money import format_money

pytestmark = pytest.mark.browser


def past_deadline_call():
    call = CallFactory(
        title="Hindamise konkurss",
        opens_at=timezone.now() - timedelta(days=60),
        deadline_at=timezone.now() - timedelta(days=1),
    )
    evaluation.ensure_default_criteria(call)
    return call


def in_language(page, live_server, language):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["et", "en"])
def test_each_criterion_shows_the_answer_it_judges_and_what_each_score_means(
    language, new_page, live_server, ministry
):
    call = past_deadline_call()
    application = under_evaluation(call, Municipality.objects.get(name="Rapla vald"))
    application.initiative = "Vallavalitsus algatas turvalisuse ümarlaua juba 2022. aastal."
    application.save(update_fields=["initiative"])
    assignment = evaluation.assign_evaluator(
        application=application, evaluator=ministry, assigned_by=ministry
    )
    evaluation.declare_conflict(assignment=assignment, has_conflict=False, user=ministry)

    checker = Checker(language)
    page = checker.new_page(new_page)
    sign_in(page, ministry.email)
    in_language(page, live_server, language)
    page.goto(f"/evaluations/{assignment.pk}/")

    with translation.override(language):
        initiative = call.criteria.get(subject="initiative")
        budget = call.criteria.get(subject="budget")
        group = page.get_by_role("group", name=initiative.name)
        expect(group).to_contain_text(application.initiative)
        for score, text in initiative.levels:
            radio = page.locator(f"#id_score_{initiative.pk}_{score}")
            expect(radio).to_have_accessible_description(text)
        # The budget's total, summed from its lines in the table, not as the page sums them.
        total = BudgetLine.objects.filter(application=application).aggregate(t=Sum("amount"))["t"]
        budget_group = page.get_by_role("group", name=budget.name)
        expect(budget_group).to_contain_text(format_money(total))
        for description in application.budget_lines.values_list("description", flat=True):
            expect(budget_group).to_contain_text(description)
    checker.check(page, "ministry", "evaluate")
    checker.assert_clean()


def test_the_ministry_assigns_evaluators_to_many_applications_at_once(
    new_page, live_server, ministry
):
    call = past_deadline_call()
    rapla, keila, tallinn = (
        under_evaluation(call, Municipality.objects.get(name=name))
        for name in ("Rapla vald", "Keila linn", "Tallinn")
    )
    colleague = UserFactory(role=Role.MINISTRY, full_name="Kati Kolleeg")
    # Keila's is the ministry persona's already: that pair is reported, not made again.
    evaluation.assign_evaluator(application=keila, evaluator=ministry, assigned_by=ministry)

    page = new_page()
    sign_in(page, ministry.email)
    in_language(page, live_server, "en")
    page.goto(f"/calls/{call.pk}/evaluation/")
    page.get_by_label("Choose Rapla vald").check()
    page.get_by_label("Choose Keila linn").check()
    page.get_by_role("group", name="Evaluators").get_by_label(str(ministry)).check()
    page.get_by_role("group", name="Evaluators").get_by_label(str(colleague)).check()
    page.get_by_role("button", name="Assign to the ticked applications").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Evaluators assigned")
    expect(page.get_by_role("status")).to_contain_text("3 assignments were made.")
    pairs = set(Assignment.objects.values_list("application_id", "evaluator_id"))
    assert pairs == {
        (keila.pk, ministry.pk),
        (rapla.pk, ministry.pk),
        (rapla.pk, colleague.pk),
        (keila.pk, colleague.pk),
    }
    assert not Assignment.objects.filter(application=tallinn).exists()
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(1 + 4)
    expect(
        page.get_by_role("row", name="Keila linn").filter(has_text=ministry.full_name)
    ).to_contain_text("This evaluator is already assigned to the application.")
