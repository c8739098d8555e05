"""A refused form in real Chromium: the focus is on the error summary when the page opens, a
link of the summary moves it to its field, and axe finds nothing wrong with the page."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils.translation import gettext, override
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import WCAG_21_AA

pytestmark = pytest.mark.browser


def assert_axe_finds_nothing(page: Page) -> None:
    violations = Axe().run(page, options=WCAG_21_AA).response["violations"]
    assert not violations, [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations
    ]


def test_an_empty_sign_in_opens_on_the_summary_and_its_link_moves_to_the_field(page: Page):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Logi sisse").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    with override("et"):
        expect(summary.get_by_role("heading")).to_have_text(gettext("There is a problem"))
    assert_axe_finds_nothing(page)

    links = summary.get_by_role("link")
    expect(links.first).to_have_attribute("href", "#id_username")
    links.first.click()
    expect(page.locator("#id_username")).to_be_focused()
    expect(page.locator("#id_username")).to_be_in_viewport()


def test_a_refused_practice_links_each_field_and_the_keyboard_follows_a_link(page: Page, kov_a):
    sign_in(page, kov_a.email)
    page.goto("/practices/new/")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    assert links.count() >= 2
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href")
        assert target and page.locator(target).count() == 1, target
    assert_axe_finds_nothing(page)

    # From the summary, Tab reaches its first link; Enter moves the focus to that field.
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    target = links.first.get_attribute("href") or ""
    page.keyboard.press("Enter")
    expect(page.locator(target)).to_be_focused()
