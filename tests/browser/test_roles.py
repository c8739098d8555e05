"""Each role signs in in real Chromium, sees its dashboard, and switches language."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Logi välja|Sign out")).click()
    expect(page).to_have_url(re.compile("/accounts/login/"))


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("kov_a", "Rapla vald"),
        ("ministry", "Programmi ülevaade"),
        ("admin", "Programmi ülevaade"),
        ("provider", None),
    ],
)
def test_each_role_sees_its_dashboard_and_can_switch_language(page, request, persona, heading):
    user = request.getfixturevalue(persona)
    heading = heading or user.service_provider.name
    sign_in(page, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "et")
    expect(page.get_by_role("link", name="Töölaud")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()

    page.get_by_role("button", name="Eesti").click()
    expect(page.locator("html")).to_have_attribute("lang", "et")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    sign_out(page)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, kov_a):
    sign_in(page, kov_a.email)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Liigu põhisisu juurde")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
