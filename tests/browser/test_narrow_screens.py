"""At a phone's width, texts people type that do not break (addresses, e-mails, long compounds)
wrap, the opened main menu fits, and a table wider than the screen scrolls in its own box, with
the keyboard too. tests/browser/test_accessibility.py measures every page at this width."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from practices.models import Practice
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import PHONE
from tests.learning.conftest import make_training
from tests.practices.conftest import make_practice

pytestmark = pytest.mark.browser

WIDTH = PHONE["width"]
ADDRESS = "https://www.rapla.ee/documents/" + "turvalisuse-arenguprogramm-" * 4 + "kokkuvote.pdf"
E_MAIL = "turvalisuse.arenguprogrammi.koordinaator@raplavallavalitsus.example.org"
COMPOUND = "Kogukonnaturvalisusealaneennetustöökoostöövõrgustikukohtumine"

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def phone(new_page):
    page = new_page()
    page.set_viewport_size(PHONE)
    return page


def practice_of(kov_a) -> str:
    practice = make_practice(
        kov_a,
        title=COMPOUND,
        place=E_MAIL,
        description=f"{ADDRESS}\n{E_MAIL}\n{COMPOUND}",
        results=ADDRESS,
        status=Practice.Status.DRAFT,
    )
    return reverse("practice_detail", args=[practice.pk])


def training_of(kov_a) -> str:
    """Its title beside the page's buttons, in a row of flex items."""
    training = make_training(title=COMPOUND, place=ADDRESS, description=E_MAIL)
    return reverse("training_detail", args=[training.pk])


@pytest.mark.parametrize("made", [practice_of, training_of], ids=["practice", "training"])
def test_long_unbroken_texts_wrap_instead_of_widening_the_page(made, new_page, kov_a):
    url = made(kov_a)
    page = phone(new_page)
    sign_in(page, kov_a.email)
    page.goto(url)
    assert page.get_by_role("heading", level=1).inner_text() == COMPOUND
    assert page.evaluate(PAGE_WIDTH) <= WIDTH


def test_the_opened_main_menu_fits_with_a_long_name(new_page, kov_a):
    kov_a.full_name = f"Mari-Liis {COMPOUND}"
    kov_a.save(update_fields=["full_name"])
    page = phone(new_page)
    sign_in(page, kov_a.email)
    page.get_by_role("button", name="Ava menüü").click()
    # Opened, not opening: while it slides open the menu clips what reaches past it.
    expect(page.locator("#main-menu")).to_have_class(re.compile(r"\bshow\b"))
    sign_out = page.get_by_role("button", name="Logi välja")
    assert page.evaluate(PAGE_WIDTH) <= WIDTH
    box = sign_out.bounding_box()
    assert box is not None and box["x"] + box["width"] <= WIDTH


def test_a_wide_table_scrolls_in_its_box_by_keyboard(new_page, kov_a):
    make_practice(kov_a, title=COMPOUND, status=Practice.Status.DRAFT)
    page = phone(new_page)
    sign_in(page, kov_a.email)
    page.goto(reverse("practice_list"))
    assert page.evaluate(PAGE_WIDTH) <= WIDTH
    box = page.locator(".scrollbox").filter(has=page.locator("table"))
    assert box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label") == page.locator("table caption").inner_text()
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle())
