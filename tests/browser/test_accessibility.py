"""axe-core over every page of the portal in real Chromium: WCAG 2.1 A and AA, no violations;
and in Estonian, whose words are the longer, at a phone's width of 390 px: no page scrolls
sideways (a wide table scrolls inside its own box, {% scrollbox %}).

Every GET route of the URL configuration is opened by each persona of tests/test_url_matrix.py
(and by an anonymous visitor) on the matrix's data set, in Estonian and in English, each persona
signed in once a language. Of two personas of one role (two municipalities, two providers) the
second opens only what the first could not; so does the administrator after the ministry, whose
pages it sees with one more menu entry. In Estonian, at the phone's width where the longer words
overflow, each form that posts is then sent empty, with the browser's own checks off, by the
first persona that opened its page, and the page that comes back (with its error messages, as a
rule) is checked too; in English those pages differ only in their words. Downloads (PDF, CSV,
XLSX) are no pages and are left out; of the refusals (403, 404) the first of each kind a persona
meets is checked, and the routes the URL matrix expects refused are not opened after it.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from accounts.models import Role
from tests.browser.conftest import sign_in
from tests.test_url_matrix import MATRIX, PERSONAS, POST_ONLY, PUBLIC, ROUTE_NAMES, build_world

pytestmark = pytest.mark.browser

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
LANGUAGES = ("et", "en")
# The administrator's pages are the ministry's, with the administration in the menu.
SEES_THE_PAGES_OF = {Role.ADMIN: Role.MINISTRY}
FORMS_SENT_EMPTY_IN = "et"
ANONYMOUS = "anonymous"
# The walk in Estonian is at a phone's width; the English one at Playwright's desktop default.
PHONE = {"width": 390, "height": 844}
VIEWPORT_OF = {"et": PHONE, "en": None}

# How far the page reaches sideways and, when past the screen's edge, what reaches that far: the
# innermost elements that do, leaving out what a box that scrolls or clips holds.
WIDER_THAN = """
(width) => {
    const reach = document.documentElement.scrollWidth;
    if (reach <= width) return {reach, culprits: []};
    const held = (element) => {
        // What is placed absolutely may escape a box that scrolls: it is a suspect anyway.
        if (['absolute', 'fixed'].includes(getComputedStyle(element).position)) return false;
        for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible') return true;
        }
        return false;
    };
    const past = (element) => element.getBoundingClientRect().right > width + 0.5;
    const culprits = [...document.body.querySelectorAll('*')]
        .filter(element => past(element) && ![...element.children].some(past) && !held(element))
        .slice(0, 5)
        .map(element => {
            const name = element.tagName.toLowerCase()
                + (element.id ? '#' + element.id : '')
                + [...element.classList].map(c => '.' + c).join('');
            const text = (element.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
            const right = Math.round(element.getBoundingClientRect().right);
            return `${name} (to ${right} px) "${text}"`;
        });
    return {reach, culprits};
}
"""

# The forms of a page's main content that post something a person fills in: forms of buttons
# alone (submit, withdraw, publish) change state and have no error messages to show.
FORMS_WITH_FIELDS = """
() => [...document.querySelectorAll('main form')].map((form, index) => ({
    index,
    fields: form.method.toLowerCase() === 'post' && form.querySelector(
        'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea'
    ) !== null,
})).filter(form => form.fields).map(form => form.index)
"""

# Empty every field, switch the browser's own checks off and send the form as its first
# button would: what the server answers to that is the form's error state.
SEND_EMPTY = """
(index) => {
    const form = document.querySelectorAll('main form')[index];
    form.noValidate = true;
    for (const field of form.querySelectorAll('input, textarea, select')) {
        if (field.tagName === 'SELECT') {
            field.selectedIndex = field.multiple ? -1 : 0;
        } else if (field.type === 'checkbox' || field.type === 'radio') {
            field.checked = false;
        } else if (!['hidden', 'submit', 'button'].includes(field.type)) {
            field.value = '';
        }
    }
    form.requestSubmit(form.querySelector('[type=submit]'));
}
"""


@dataclass
class Violation:
    page: str
    role: str
    language: str
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        targets = "\n      ".join(self.targets)
        return (
            f"{self.page} as {self.role} ({self.language}): {self.rule} [{self.impact}] "
            f"{self.help}\n      {targets}"
        )


@dataclass
class Overflow:
    page: str
    role: str
    reach: int
    culprits: list[str]

    def __str__(self) -> str:
        culprits = "\n      ".join(self.culprits)
        return f"{self.page} as {self.role}: {self.reach} px wide\n      {culprits}"


class Checker:
    """Runs axe on a page as it is, measures its width when the walk is at a phone's, and keeps
    what it finds."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.viewport = VIEWPORT_OF[language]
        self.width = self.viewport["width"] if self.viewport else None
        self.axe = Axe()
        self.violations: list[Violation] = []
        self.overflows: list[Overflow] = []
        self.checked = 0
        self.measured = 0

    def new_page(self, new_page: Any) -> Page:
        page = new_page()
        if self.viewport is not None:
            page.set_viewport_size(self.viewport)
        return page

    def check(self, page: Page, role: str, what: str) -> None:
        if self.width is not None:
            found = page.evaluate(WIDER_THAN, self.width)
            self.measured += 1
            if found["reach"] > self.width:
                where = f"{what} ({urlsplit(page.url).path})"
                self.overflows.append(Overflow(where, role, found["reach"], found["culprits"]))
        results = self.axe.run(page, options=WCAG_21_AA)
        self.checked += 1
        for violation in results.response["violations"]:
            self.violations.append(
                Violation(
                    page=f"{what} ({urlsplit(page.url).path})",
                    role=role,
                    language=self.language,
                    rule=violation["id"],
                    impact=violation["impact"] or "",
                    help=violation["help"],
                    targets=[" ".join(map(str, node["target"])) for node in violation["nodes"]],
                )
            )

    def report(self) -> str:
        parts = []
        if self.violations:
            pages = len({(v.page, v.role) for v in self.violations})
            parts.append(
                f"{len(self.violations)} WCAG 2.1 A/AA violations on {pages} of {self.checked} "
                "pages checked:\n  " + "\n  ".join(map(str, self.violations))
            )
        if self.overflows:
            parts.append(
                f"{len(self.overflows)} of {self.measured} pages are wider than {self.width} px:"
                "\n  " + "\n  ".join(map(str, self.overflows))
            )
        return "\n\n".join(parts)

    def assert_clean(self) -> None:
        if self.violations or self.overflows:
            pytest.fail(self.report(), pytrace=False)


def open_page(page: Page, url: str) -> Any:
    """The response to a GET of url, or None for a download."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error) or "ERR_ABORTED" in str(error):
            return None
        raise
    if response is None or not response.headers.get("content-type", "").startswith("text/html"):
        return None
    return response


def send_empty(page: Page, index: int) -> bool:
    """Send the index-th form of the page empty; False when the answer is no HTML page."""
    try:
        with page.expect_navigation() as navigation:
            page.evaluate(SEND_EMPTY, index)
    except PlaywrightError:
        return False
    response = navigation.value
    return response is not None and response.headers.get("content-type", "").startswith("text/html")


def routes_for(role: str) -> list[str]:
    if role == ANONYMOUS:
        return [name for name in ROUTE_NAMES if PUBLIC.get(name) == 200]
    return [name for name in ROUTE_NAMES if name not in POST_ONLY]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_meets_wcag_21_aa(
    language: str, new_page: Any, live_server: Any, kov_a, kov_b, provider, ministry, admin
) -> None:
    world = build_world(kov_a, kov_b, provider, ministry, admin)
    checker = Checker(language)
    # The first persona to open a page with a form sends it empty, once the pages of every
    # persona were seen as the data set has them: an empty form may save (a draft, say) and
    # change what later pages show.
    forms_of: dict[str, tuple[Page, str, str, list[int]]] = {}
    # The second persona of a role checks only what the first could not open (B's page to start
    # its plan, say).
    seen_by_role: set[tuple[str, str]] = set()
    for role in (ANONYMOUS, *PERSONAS):
        kind = world.users[role].role if role != ANONYMOUS else ANONYMOUS
        kind = SEES_THE_PAGES_OF.get(kind, kind)
        page = checker.new_page(new_page)
        if role != ANONYMOUS:
            sign_in(page, world.users[role].email)
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        refusals_seen: set[int] = set()
        for name in routes_for(role):
            if (kind, name) in seen_by_role:
                continue
            # A refusal the matrix foresees is the page of its kind already checked.
            if MATRIX.get(name, {}).get(role) in refusals_seen:
                continue
            url = reverse(name, kwargs=world.kwargs.get(name, {}))
            response = open_page(page, url)
            if response is None:
                continue
            status = response.status
            if status in (403, 404):
                if status not in refusals_seen:  # the same page for every refused route
                    refusals_seen.add(status)
                    checker.check(page, role, f"{name} ({status})")
                continue
            if status != 200 or urlsplit(page.url).path != urlsplit(url).path:
                continue  # sent on elsewhere: that page is checked under its own name
            checker.check(page, role, name)
            seen_by_role.add((kind, name))
            if name not in forms_of and (forms := page.evaluate(FORMS_WITH_FIELDS)):
                forms_of[name] = (page, role, url, forms)

    if language == FORMS_SENT_EMPTY_IN:
        for name, (page, role, url, forms) in forms_of.items():
            for index in forms:
                if open_page(page, url) is None:
                    break
                if send_empty(page, index):
                    checker.check(page, role, f"{name}, form {index + 1} sent empty")

    assert checker.checked > 100, f"only {checker.checked} pages were checked"
    assert checker.measured in (0, checker.checked)
    checker.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_second_factor_pages_meet_wcag_21_aa(language, new_page, live_server, ministry, admin):
    """The pages between the password and the portal, which sign_in passes through unchecked:
    setting up the authenticator app (ministry staff without one) and entering its code."""
    from accounts.testing import totp_device
    from tests.factories import PASSWORD

    totp_device(admin)
    checker = Checker(language)
    for user, name in ((ministry, "two_factor_setup"), (admin, "two_factor_verify")):
        page = checker.new_page(new_page)
        page.goto(reverse("login"))
        page.get_by_label("E-post").fill(user.email)
        page.get_by_label("Salasõna").fill(PASSWORD)
        page.get_by_role("button", name="Logi sisse").click()
        page.wait_for_url(lambda url, name=name: urlsplit(url).path == reverse(name))
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page.reload()
        checker.check(page, user.role, name)
        if send_empty(page, 0):
            checker.check(page, user.role, f"{name}, form sent empty")
    assert checker.checked == 4
    checker.assert_clean()
