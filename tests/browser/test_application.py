"""The whole submission in real Chromium, as a municipality official, then the ministry finds it."""

import re

import pytest
from playwright.sync_api import Page, expect

from applications.models import ESSAY_FIELDS, Application, Status
from tests.browser.conftest import sign_in
from tests.factories import CallFactory, pdf_bytes

pytestmark = pytest.mark.browser


def fill_application_form(page: Page) -> None:
    page.get_by_label("Kontaktisik").fill("Tiina Rapla")
    page.get_by_label("Ametikoht").fill("Turvalisuse spetsialist")
    page.get_by_label("Telefon").fill("+372 5555 1234")
    for name in ESSAY_FIELDS:
        page.locator(f"[name={name}]").fill(f"Rapla vald: {name}")
    page.locator("[name=team-0-name]").fill("Tiina Rapla")
    page.locator("[name=team-0-kind]").select_option("official")
    page.locator("[name=team-0-role]").fill("Koordinaator")
    page.get_by_role("button", name="Lisa meeskonna liige").click()
    page.locator("[name=team-1-name]").fill("Jaan Volikogu")
    page.locator("[name=team-1-kind]").select_option("council_member")
    page.locator("[name=team-1-role]").fill("Volikogu esindaja")
    page.get_by_label("Eelistatud alustamisaasta").select_option("2027")
    page.get_by_role("button", name="Salvesta").click()


def fill_budget(page: Page) -> None:
    lines = [
        ("staff", "Koordinaatori töötasu", "20000"),
        ("training", "Ennetuskoolitused", "10000.50"),
        ("services", "Olukorra analüüs", "4999.50"),
    ]
    for index, (category, description, amount) in enumerate(lines):
        if index:
            page.get_by_role("button", name="Lisa eelarverida").click()
        page.locator(f"[name=budget-{index}-category]").select_option(category)
        page.locator(f"[name=budget-{index}-description]").fill(description)
        page.locator(f"[name=budget-{index}-amount]").fill(amount)
    # The running total follows the typing, before anything is saved.
    expect(page.locator("[data-budget-left]")).to_have_text("0,00")
    page.get_by_role("button", name="Salvesta").click()


def fill_activities(page: Page) -> None:
    activities = [("Olukorra analüüs", "1", "6"), ("Turvalisuse tegevuskava", "7", "24")]
    for index, (title, start, end) in enumerate(activities):
        if index:
            page.get_by_role("button", name="Lisa tegevus").click()
        page.locator(f"[name=activities-{index}-title]").fill(title)
        page.locator(f"[name=activities-{index}-responsible]").fill("Koordinaator")
        page.locator(f"[name=activities-{index}-start_month]").fill(start)
        page.locator(f"[name=activities-{index}-end_month]").fill(end)
    page.locator("[name=activities-0-partners]").first.check()
    page.get_by_role("button", name="Salvesta").click()


def test_a_municipality_submits_its_application_and_the_ministry_finds_it(
    new_page, kov_a, ministry
):
    call = CallFactory(title="Turvalisuse arenguprogramm, II etapp")
    page = new_page()
    sign_in(page, kov_a.email)
    expect(page.get_by_role("heading", name="Avatud taotlusvoorud")).to_be_visible()
    page.get_by_role("button", name="Alusta taotluse koostamist").click()

    fill_application_form(page)
    expect(page.get_by_role("status").first).to_contain_text("salvestatud")
    page.get_by_role("link", name="2. Eelarve").click()
    fill_budget(page)
    expect(page.get_by_role("status").first).to_contain_text("salvestatud")
    page.get_by_role("link", name="3. Tegevus- ja ajakava").click()
    fill_activities(page)
    expect(page.locator("figure.timeline svg rect")).to_have_count(2)
    page.get_by_role("link", name=re.compile("^4\\. ")).click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "volikogu-otsus.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name="Laadi üles").click()
    expect(page.get_by_role("link", name="volikogu-otsus.pdf")).to_be_visible()

    page.get_by_role("link", name="Ülevaade").click()
    page.get_by_role("button", name="Esita taotlus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Taotlus on esitatud")
    application = Application.objects.get(call=call)
    assert application.status == Status.SUBMITTED
    assert application.budget_total == 35000

    ministry_page = new_page()
    sign_in(ministry_page, ministry.email)
    ministry_page.get_by_role("link", name="Taotlused").click()
    ministry_page.get_by_label("Maakond").select_option(label="Rapla maakond")
    ministry_page.get_by_label("Staatus").select_option("submitted")
    ministry_page.get_by_role("button", name="Filtreeri").click()
    row = ministry_page.get_by_role("row", name=re.compile("Rapla vald"))
    expect(row).to_contain_text("esitatud")
    expect(row).to_contain_text("35\u00a0000,00\u00a0€")
