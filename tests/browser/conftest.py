import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium for the browser tests (.ci/run installs it).")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop; Django's ORM is only used between its calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Pages in fresh browser contexts, one per person in the test."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="et-EE")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def sign_in(page, email: str) -> None:
    """Sign in with the password; ministry staff and admins then enter their app's code."""
    from accounts.models import User
    from accounts.testing import current_code, totp_device
    from tests.factories import PASSWORD

    user = User.objects.get(email__iexact=email)
    device = totp_device(user) if user.is_second_factor_required else None
    page.goto("/accounts/login/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Salasõna").fill(PASSWORD)
    page.get_by_role("button", name="Logi sisse").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if device is not None:
        page.wait_for_url(lambda url: "/accounts/two-factor/verify/" in url)
        page.locator("#id_code").fill(current_code(device))
        page.locator("#two-factor-submit").click()
        page.wait_for_url(lambda url: "/accounts/two-factor/" not in url)
