"""Choosing among long lists in real Chromium: the page holds only the chosen rows, the search
box asks the server for more, and what was found and chosen is saved."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import SharingEvent
from programme.models import Municipality
from reports.models import Report
from tests.browser.conftest import sign_in
from tests.conftest import KEILA_LINN, RAPLA_VALD
from tests.counselling.conftest import make_participation

pytestmark = pytest.mark.browser


def test_municipalities_are_found_by_name_and_saved(page, ministry, kov_a, kov_b):
    make_participation(kov_a)
    make_participation(kov_b)
    sign_in(page, ministry.email)
    page.goto("/sharing/new/")
    page.locator("[name=title]").fill("Raplamaa kogemuspäev")
    page.locator("[name=held_on]").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    page.locator("[name=level]").select_option(SharingEvent.Level.NATIONAL)
    page.locator("[name=host]").fill("Rapla vald")

    presenters = page.locator("#id_presenters")
    presenters.fill("rapla v")
    page.get_by_role("button", name="Rapla vald", exact=True).click()
    expect(page.get_by_role("checkbox", name="Rapla vald")).to_be_checked()
    expect(presenters).to_be_focused()
    expect(presenters).to_have_value("")

    # Enter takes the first found; a second municipality joins the first.
    attendees = page.locator("#id_attendees")
    attendees.fill("keila l")
    expect(page.get_by_role("button", name="Keila linn", exact=True)).to_be_visible()
    attendees.press("Enter")
    attendees.fill("rapla v")
    expect(page.get_by_role("button", name="Rapla vald", exact=True)).to_be_visible()
    attendees.press("Enter")
    chosen = page.locator("[data-name=attendees] [data-search-chosen] input:checked")
    expect(chosen).to_have_count(2)
    # Unchecking takes one off again.
    page.locator(f"#id_attendees_{Municipality.objects.get(ehak_code=RAPLA_VALD).pk}").uncheck()

    attendees.fill("zz")
    expect(page.locator("[data-name=attendees] [data-search-status]")).not_to_be_empty()
    page.locator("#id_title").locator("xpath=ancestor::form").locator("[type=submit]").click()
    page.wait_for_url(lambda url: "/new/" not in url)

    event = SharingEvent.objects.get(title="Raplamaa kogemuspäev")
    assert [m.ehak_code for m in event.presenters.all()] == [RAPLA_VALD]
    assert [m.ehak_code for m in event.attendees.all()] == [KEILA_LINN]


def test_a_single_choice_keeps_the_last_one_found(page, ministry, kov_a, kov_b):
    rapla = make_participation(kov_a)
    make_participation(kov_b)
    sign_in(page, ministry.email)
    page.goto("/reports/")
    search = page.locator("#id_participation")
    for text, name in [("keila", "Keila linn"), ("rapla", "Rapla vald")]:
        search.fill(text)
        page.get_by_role("button", name=name, exact=True).click()
    chosen = page.locator("[data-name=participation] [data-search-chosen] input")
    expect(chosen).to_have_count(1)
    expect(page.get_by_role("checkbox", name="Rapla vald")).to_be_checked()
    search.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
    assert Report.objects.get().participation == rapla


def test_a_search_box_left_empty_shows_its_error(page, ministry):
    sign_in(page, ministry.email)
    page.goto("/people/invite/")
    page.locator("[name=email]").fill("uus@rapla.example")
    page.locator("[name=full_name]").fill("Uus Inimene")
    page.locator("#id_email").locator("xpath=ancestor::form").locator("[type=submit]").click()
    # The municipality is needed for a municipality user; its message shows under the box.
    expect(page.locator("#id_municipality")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_municipality_error")).to_be_visible()
