"""The ministry reads whether the programme is working on its programme page, with Statistics
Estonia's values of every municipality loaded. In real Chromium, axe in both languages."""

import pytest
from playwright.sync_api import expect

from evaluation.catalogue import POPULATION, TABLES
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import Checker
from tests.browser.test_evaluation import in_language
from tests.evaluation.conftest import api, pauses, statistics  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

HEADING = {"et": "Kas programm toimib?", "en": "Is the programme working?"}
OVER_THE_YEARS = {"et": "aastate kaupa", "en": "over the years"}


def test_the_ministry_reads_the_comparison_and_opens_the_charts_over_the_years(
    new_page,
    live_server,
    ministry,
    statistics,  # noqa: F811
):
    compared = len(TABLES) - 1  # every indicator but the population, which is the denominator
    assert POPULATION in TABLES
    # Both languages in one test: the import of every municipality is made once.
    for language in ("et", "en"):
        checker = Checker(language)
        page = checker.new_page(new_page)
        sign_in(page, ministry.email)
        in_language(page, live_server, language)
        page.goto("/")
        page.locator("#evaluation-link").click()
        section = page.locator("#evaluation")
        expect(section.get_by_role("heading", level=2)).to_have_text(HEADING[language])
        expect(section.locator("[data-caveat]")).to_be_visible()
        expect(page.locator("#estimates-chart")).to_be_visible()
        expect(section.locator("#estimates tbody tr")).to_have_count(compared)
        # The charts over the years wait behind one summary line, then open.
        charts = section.locator("#over-the-years svg.chart")
        expect(charts.first).to_be_hidden()
        summary = section.locator("#over-the-years summary")
        expect(summary).to_contain_text(OVER_THE_YEARS[language])
        summary.click()
        expect(charts).to_have_count(compared)
        expect(charts.first).to_be_visible()
        checker.check(page, "ministry", "programme page, evaluation open")
        checker.assert_clean()
