"""The bell, the list of notices and their e-mail settings in real Chromium."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actionplans.services import start_plan
from notifications.models import Delivery, Kind, Preference
from notifications.services import notify
from tests.browser.conftest import sign_in
from tests.counselling.conftest import make_participation

pytestmark = pytest.mark.browser


def test_a_municipality_follows_its_notice_to_the_plan_and_chooses_a_digest(
    new_page, kov_a, provider, ministry
):
    plan = start_plan(participation=make_participation(kov_a, provider.service_provider))
    notify(
        Kind.PLAN_RETURNED,
        recipients=[kov_a],
        about=plan,
        link=reverse("plan_detail", args=[plan.pk]),
        actor=ministry,
        note="Lisage probleemide juurpõhjused.",
    )
    page = new_page()
    sign_in(page, kov_a.email)
    bell = page.locator("header").get_by_role("link", name="Teavitused")
    expect(bell).to_contain_text("1")

    bell.click()
    notice = page.locator("main li").filter(has_text="Lisage probleemide juurpõhjused.")
    expect(notice).to_contain_text("Uus")
    notice.get_by_role("link").click()
    page.wait_for_url(f"**{reverse('plan_detail', args=[plan.pk])}")
    expect(bell).not_to_contain_text("1")

    page.goto(reverse("notification_settings"))
    page.get_by_role("group", name="Uus sõnum").get_by_label("igapäevases kokkuvõttes").check()
    page.get_by_role("button", name="Salvesta seaded").click()
    expect(page.get_by_role("status")).to_contain_text("salvestatud")
    assert Preference.objects.deliveries(kov_a)[Kind.MESSAGE_POSTED] == Delivery.DAILY
