"""Signing in with Estonian eID in real Chromium, through a real OpenID Connect provider set up as
TARA (tests/oidc/): its sign-in page stands in for TARA's choice of ID-card, Mobile-ID or
Smart-ID. The new texts are in English until translated: ids and URLs are checked."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.accounts.test_tara import invited
from tests.browser.test_accessibility import Checker

pytestmark = pytest.mark.browser


@pytest.fixture
def tara(tara_providers, live_server, settings):
    provider = tara_providers.for_redirect_uri(f"{live_server.url}/accounts/tara/callback/")
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider


def sign_in_with_eid(page, personal_code: str, *, acr: str = "high", means: str = "mID") -> None:
    page.goto("/accounts/login/")
    page.locator("#eid-sign-in").click()
    # The provider's page, as TARA's would ask for the ID-card, Mobile-ID or Smart-ID.
    page.locator("#personal_code").fill(personal_code)
    page.locator("#given_name").fill("MARI-LIIS")
    page.locator("#family_name").fill("MÄNNIK")
    page.locator("#means").select_option(means)
    page.locator("#acr").select_option(acr)
    page.get_by_role("button", name="Continue").click()


def test_officials_and_staff_sign_in_with_eid(new_page, live_server, tara, ministry):
    official = invited("EE47101010033")
    User.objects.filter(pk=ministry.pk).update(personal_code="EE38001085718")

    # The invited official: the first eID sign-in links the account, on to the start page.
    page = new_page()
    sign_in_with_eid(page, "EE47101010033")
    expect(page).to_have_url(f"{live_server.url}/")
    official.refresh_from_db()
    assert official.personal_code == "EE47101010033"
    assert official.full_name == "Mari-Liis Männik"

    # A stranger, on a phone: back on the sign-in page, told why.
    checker = Checker("et")
    page = checker.new_page(new_page)
    sign_in_with_eid(page, "EE37101010021")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#eid-sign-in")).to_be_enabled()
    # The sign-in page with its eID part and the refusal, as the accessibility walk checks pages.
    checker.check(page, "anonymous", "sign-in with eID, refused")
    checker.assert_clean()

    # Staff at high: the eID is the second factor, no code is asked.
    page = new_page()
    sign_in_with_eid(page, "EE38001085718", acr="high", means="idcard")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#id_code")).to_have_count(0)

    # Staff at low (an EU eID): asked to set up their app's code first.
    page = new_page()
    sign_in_with_eid(page, "EE38001085718", acr="low", means="eIDAS")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    expect(page.locator("#id_code")).to_be_visible()
