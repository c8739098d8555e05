"""The whole submission in real Chromium, as a municipality official, then the ministry finds it."""

import re

import pytest
from playwright.sync_api import expect

from applications.models import Application, Status
from tests.browser.conftest import sign_in
from tests.browser.steps import (
    confirm_declaration,
    fill_activities,
    fill_application_form,
    fill_budget,
    upload_council_decision,
)
from tests.factories import CallFactory

pytestmark = pytest.mark.browser


def test_a_municipality_submits_its_application_and_the_ministry_finds_it(
    new_page, kov_a, ministry
):
    call = CallFactory(title="Turvalisuse arenguprogramm, II etapp")
    page = new_page()
    sign_in(page, kov_a.email)
    expect(page.get_by_role("heading", name="Avatud taotlusvoorud")).to_be_visible()
    page.get_by_role("button", name="Alusta taotluse koostamist").click()

    fill_application_form(page)
    # "Save and continue" leads from section to section.
    expect(page.get_by_role("heading", name="2. Eelarve")).to_be_visible()
    fill_budget(page)
    expect(page.get_by_role("heading", name="3. Tegevus- ja ajakava")).to_be_visible()
    fill_activities(page)
    expect(page.get_by_role("heading", name=re.compile("^4\\. "))).to_be_visible()

    # The task list: three sections done, the decision still to do, submitting waits.
    page.get_by_role("link", name="Ülevaade").click()
    tasks = page.locator(".task-list > li")
    expect(tasks).to_have_count(5)
    expect(tasks.nth(0)).to_contain_text("Valmis")
    expect(tasks.nth(3)).to_contain_text("Alustamata")
    expect(tasks.nth(4)).to_contain_text("Veel ei saa alustada")
    expect(page.get_by_text("Olete täitnud 3 osa 4-st.")).to_be_visible()

    page.get_by_role("link", name=re.compile("^4\\. ")).first.click()
    upload_council_decision(page)

    # Check your answers: every section with its change link, then the declaration.
    expect(page.get_by_role("heading", name="Kontrollige vastuseid enne esitamist")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Muuda"))).to_have_count(4)
    expect(page.get_by_role("link", name="volikogu-otsus.pdf")).to_be_visible()
    page.get_by_role("button", name="Kinnita ja esita").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    confirm_declaration(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Taotlus on esitatud")
    expect(page.get_by_text("Teie kviitungi number")).to_be_visible()
    expect(page.get_by_role("heading", name="Mis edasi saab")).to_be_visible()
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
