"""A provider logs a session in real Chromium, the municipality confirms it, the ministry sees
the hours."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from counselling.models import CounsellingSession
from tests.browser.conftest import sign_in
from tests.counselling.conftest import make_participation

pytestmark = pytest.mark.browser


def test_a_session_with_two_next_steps_confirmed_and_counted(new_page, provider, kov_a, ministry):
    make_participation(kov_a, provider.service_provider)
    today = timezone.localdate()

    page = new_page()
    sign_in(page, provider.email)
    page.get_by_role("link", name="Nõustamine", exact=True).first.click()
    page.get_by_role("link", name="Logi nõustamiskohtumine").click()
    page.locator("[name=participation]").select_option(label="Rapla vald")
    page.locator("[name=held_on]").fill((today - timedelta(days=2)).isoformat())
    page.locator("[name=duration_hours]").fill("1.75")
    page.locator("[name=format]").select_option("on_site")
    page.locator("[name=topics][value=action_plan]").check()
    page.locator("[name=topics][value=indicators]").check()
    page.locator("[name=summary]").fill("Tegevuskava eesmärgid ja indikaatorid.")
    page.locator("[name=attendees-0-name]").fill("Tiina Rapla")
    page.locator("[name=attendees-0-role]").fill("arendusjuht")
    for index, (description, days) in enumerate(
        [("Saata tegevuskava mustand", 7), ("Valida kolm indikaatorit", 14)]
    ):
        if index:
            page.get_by_role("button", name="Lisa järgmine samm").click()
        page.locator(f"[name=steps-{index}-description]").fill(description)
        page.locator(f"[name=steps-{index}-owner]").fill("Tiina Rapla")
        page.locator(f"[name=steps-{index}-due_on]").fill((today + timedelta(days)).isoformat())
    page.get_by_role("button", name="Salvesta kohtumine").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapla vald")
    session = CounsellingSession.objects.get()
    assert session.next_steps.count() == 2

    municipality = new_page()
    sign_in(municipality, kov_a.email)
    expect(municipality.get_by_text("ootab omavalitsuse kinnitust")).to_be_visible()
    municipality.goto(f"/counselling/{session.pk}/")
    expect(municipality.get_by_role("rowheader", name="Valida kolm indikaatorit")).to_be_visible()
    municipality.get_by_role("button", name="Kinnita", exact=True).click()
    expect(municipality.get_by_text("omavalitsus on kinnitanud")).to_be_visible()
    session.refresh_from_db()
    assert session.confirmation == CounsellingSession.Confirmation.CONFIRMED

    staff = new_page()
    sign_in(staff, ministry.email)
    staff.goto("/counselling/totals/")
    hours = staff.get_by_role("table", name="Tunnid omavalitsuste kaupa")
    expect(hours.get_by_role("row", name="Rapla vald")).to_contain_text("1,75")
