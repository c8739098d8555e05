"""Ministry staff sign in with the password and then the code of their authenticator app, in
real Chromium (the new pages are in English until translated: ids and URLs are checked)."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts.testing import current_code, totp_device
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def enter_password(page, email: str, next_url: str = "") -> None:
    page.goto(f"/accounts/login/?next={next_url}" if next_url else "/accounts/login/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Salasõna").fill(PASSWORD)
    page.get_by_role("button", name="Logi sisse").click()


def test_ministry_staff_enter_the_code_after_the_password_and_reach_the_dashboard(
    page, live_server, ministry
):
    device = totp_device(ministry)
    enter_password(page, ministry.email)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/\?next=%2F$"))

    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    page.locator("#id_code").fill(wrong)
    page.locator("#two-factor-submit").click()
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_url(re.compile("/accounts/two-factor/verify/"))

    # The wrong code made the next try wait a second.
    page.wait_for_timeout(1_100)
    page.locator("#id_code").fill(current_code(device))
    page.locator("#two-factor-submit").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmi ülevaade")


def test_new_staff_set_up_their_app_from_the_secret_shown_and_go_where_they_were_going(
    page, live_server, ministry
):
    enter_password(page, ministry.email, next_url="/calls/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/\?next=%2Fcalls%2F$"))
    expect(page.locator("#two-factor-qr svg")).to_be_visible()

    # What an authenticator app does with the secret typed in.
    secret = page.locator("#two-factor-secret").inner_text()
    key = b32decode(secret)
    page.locator("#id_code").fill(f"{TOTP(key).token():06d}")
    page.locator("#two-factor-submit").click()
    expect(page).to_have_url(f"{live_server.url}/calls/")
    assert ministry.totpdevice_set.get().confirmed
