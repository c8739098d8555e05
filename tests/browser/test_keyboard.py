"""The whole application, from the open call through the answers checked to the submitted state,
with the keyboard alone.

Only Tab, Shift+Tab, Enter, Space, the arrow keys and typing move the walk on: no mouse and no
element.click(). The one exception is the council decision's file: a file dialog cannot be
reached in headless Chromium, so the file is handed to the focused file input with
set_input_files, as a person would pick it in the dialog that Enter opens. Signing in goes
through the suite's sign_in (it knows the second factor); the walk starts on the dashboard.
"""

import re

import pytest
from playwright.sync_api import FilePayload, Page, expect

from applications.models import ESSAY_FIELDS, Application, Status
from tests.browser.conftest import sign_in
from tests.browser.steps import ACTIVITIES, BUDGET_LINES
from tests.factories import CallFactory, pdf_bytes

pytestmark = pytest.mark.browser

# How many Tab presses a target may be away: the longest page (the application form with its
# menu) has fewer stops than this.
MAX_TABS = 120

# True when the focused element shows where the focus is: an outline or a focus shadow.
FOCUS_IS_VISIBLE = """
() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== 'none';
}
"""

FOCUSED_MATCHES = """
([selector, text]) => {
    const element = document.activeElement;
    if (!element || !element.matches(selector)) return false;
    return text === null || element.textContent.trim().startsWith(text);
}
"""


def tab_to(page: Page, selector: str, text: str | None = None, *, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element is focused, and check that the focus shows."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate(FOCUSED_MATCHES, [selector, text]):
            assert page.evaluate(FOCUS_IS_VISIBLE), f"the focus on {selector} {text} is not seen"
            return
    raise AssertionError(f"{selector} {text or ''} cannot be reached with the Tab key")


def type_into(page: Page, name: str, text: str) -> None:
    tab_to(page, f"[name='{name}']")
    page.keyboard.press("Control+A")  # a prefilled value is replaced
    page.keyboard.type(text)


def choose(page: Page, name: str, value: str) -> None:
    """Pick an option of a select with the arrow keys, as a closed select takes them."""
    tab_to(page, f"select[name='{name}']")
    page.keyboard.press("Home")
    for _ in range(40):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} is not an option of {name}")


def press_button(page: Page, text: str) -> None:
    tab_to(page, "button", text)
    page.keyboard.press("Enter")


def follow_link(page: Page, text: str) -> None:
    tab_to(page, "a", text)
    page.keyboard.press("Enter")


def save_and_continue(page: Page) -> None:
    with page.expect_navigation():
        press_button(page, "Salvesta ja jätka")
    expect(page.get_by_role("status").first).to_contain_text("salvestatud")


def fill_application_form(page: Page) -> None:
    type_into(page, "contact_name", "Tiina Rapla")
    type_into(page, "contact_position", "Turvalisuse spetsialist")
    type_into(page, "contact_phone", "+372 5555 1234")
    type_into(page, "team-0-name", "Tiina Rapla")
    choose(page, "team-0-kind", "official")
    type_into(page, "team-0-role", "Koordinaator")
    # Adding a member puts the focus in the new row's first field.
    press_button(page, "Lisa meeskonna liige")
    expect(page.locator("[name='team-1-name']")).to_be_focused()
    page.keyboard.type("Jaan Volikogu")
    choose(page, "team-1-kind", "council_member")
    type_into(page, "team-1-role", "Volikogu esindaja")
    for name in ESSAY_FIELDS:
        type_into(page, name, f"Rapla vald: {name}")
    choose(page, "preferred_start_year", "2027")
    save_and_continue(page)


def fill_budget(page: Page) -> None:
    for index, (category, description, amount) in enumerate(BUDGET_LINES):
        if index:
            press_button(page, "Lisa eelarverida")
            expect(page.locator(f"[name='budget-{index}-category']")).to_be_focused()
            page.keyboard.press("Shift+Tab")  # choose() tabs forward onto the select
        choose(page, f"budget-{index}-category", category)
        type_into(page, f"budget-{index}-description", description)
        type_into(page, f"budget-{index}-amount", amount)
    expect(page.locator("[data-budget-left]")).to_have_text("0,00")
    save_and_continue(page)


def fill_activities(page: Page) -> None:
    for index, (title, start, end) in enumerate(ACTIVITIES):
        if index:
            press_button(page, "Lisa tegevus")
            expect(page.locator(f"[name='activities-{index}-title']")).to_be_focused()
            page.keyboard.type(title)
        else:
            type_into(page, f"activities-{index}-title", title)
        if index == 0:
            # A partner agency: its checkbox is ticked with Space.
            tab_to(page, "[name='activities-0-partners']")
            page.keyboard.press("Space")
            expect(page.locator("[name='activities-0-partners']").first).to_be_checked()
        type_into(page, f"activities-{index}-responsible", "Koordinaator")
        type_into(page, f"activities-{index}-start_month", start)
        type_into(page, f"activities-{index}-end_month", end)
    save_and_continue(page)


def upload_decision(page: Page) -> None:
    tab_to(page, "input[type=file]")
    # The file dialog is out of the keyboard's (and headless Chromium's) reach.
    decision = FilePayload(
        name="volikogu-otsus.pdf", mimeType="application/pdf", buffer=pdf_bytes()
    )
    page.locator(":focus").set_input_files(files=[decision])
    with page.expect_navigation():
        press_button(page, "Laadi üles ja jätka")


def check_answers_and_submit(page: Page) -> None:
    """The check-answers page: sent without the declaration first, the error summary takes the
    focus and its links lead to each box; ticked with Space, then submitted with Enter."""
    expect(page.get_by_role("heading", name="Kontrollige vastuseid enne esitamist")).to_be_visible()
    expect(page.get_by_role("link", name="volikogu-otsus.pdf")).to_be_visible()
    expect(page.locator("figure.timeline svg rect")).to_have_count(2)
    with page.expect_navigation():
        press_button(page, "Kinnita ja esita")
    expect(page.locator(".error-summary")).to_be_focused()
    for box in ("council_decided", "data_correct"):
        tab_to(page, f".error-summary a[href='#id_{box}']")
        page.keyboard.press("Enter")
        expect(page.locator(f"#id_{box}")).to_be_focused()
        page.keyboard.press("Space")
        expect(page.locator(f"#id_{box}")).to_be_checked()
    with page.expect_navigation():
        press_button(page, "Kinnita ja esita")


def test_a_municipality_applies_with_the_keyboard_alone(page, kov_a):
    call = CallFactory(title="Turvalisuse arenguprogramm, II etapp")
    sign_in(page, kov_a.email)
    expect(page.get_by_role("heading", name="Avatud taotlusvoorud")).to_be_visible()

    # The first stop on every page is the link that skips the menu, and it shows.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Liigu põhisisu juurde")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert page.evaluate(FOCUS_IS_VISIBLE)

    with page.expect_navigation():
        press_button(page, "Alusta taotluse koostamist")
    expect(page.get_by_role("heading", name=re.compile("Taotlusvorm"))).to_be_visible()
    fill_application_form(page)
    # "Save and continue" leads on to each next section.
    fill_budget(page)
    fill_activities(page)
    upload_decision(page)
    check_answers_and_submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Taotlus on esitatud")
    expect(page.get_by_text("Teie kviitungi number")).to_be_visible()

    application = Application.objects.get(call=call)
    assert application.status == Status.SUBMITTED
    assert application.budget_total == 35000
    assert application.team_members.count() == 2
    assert application.activities.count() == 2
