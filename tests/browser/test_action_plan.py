"""A municipality writes its action plan in real Chromium; the ministry returns it."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from actionplans.models import ActionPlan, Activity, Component, Indicator
from programme.models import Cohort, Participation
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_plan_from_problem_to_chart_then_returned_by_the_ministry(new_page, kov_a, ministry):
    Participation.objects.create(
        municipality=kov_a.municipality,
        cohort=Cohort.objects.create(stage=2, start_year=2026),
        start_on=date(2026, 1, 1),
        end_on=date(2027, 12, 31),
        source=Participation.Source.IMPORT,
    )
    page = new_page()
    sign_in(page, kov_a.email)
    page.get_by_role("link", name="Turvalisuse tegevuskava").click()
    page.get_by_role("button", name="Alusta tegevuskava koostamist").click()
    plan = ActionPlan.objects.get()
    for component in [c for c in Component if c != Component.SHARING]:
        Activity.objects.create(
            plan=plan,
            title=str(component.label)[:60],
            component=component,
            start_month=1,
            end_month=12,
            responsible="Koordinaator",
        )

    page.get_by_role("link", name="Probleemid ja juurpõhjused").click()
    page.locator("[name=title]").first.fill("Vähe koostööd naabritega")
    page.get_by_role("button", name="Lisa probleem").click()
    page.locator("select[name=problem]").select_option(label="Vähe koostööd naabritega")
    page.locator("form:has(button[name=add_cause]) [name=title]").fill("Kogemusi ei jagata")
    page.get_by_role("button", name="Lisa juurpõhjus").click()
    expect(page.get_by_text("Kogemusi ei jagata")).to_be_visible()

    page.get_by_role("link", name="Tegevused", exact=True).click()
    row = "activities-4"
    page.locator(f"[name={row}-title]").fill("Maakondlik kogemusseminar")
    page.locator(f"[name={row}-component]").select_option(Component.SHARING)
    page.locator(f"[name={row}-causes]").first.check()
    page.locator(f"[name={row}-start_month]").fill("10")
    page.locator(f"[name={row}-end_month]").fill("10")
    page.locator(f"[name={row}-responsible]").fill("Turvalisuse spetsialist")
    page.locator(f"[name={row}-planned_cost]").fill("2500")
    page.get_by_role("button", name="Salvesta").click()
    expect(page.get_by_role("status").first).to_contain_text("Salvestatud")

    page.get_by_role("link", name="Seireindikaatorid").click()
    fires = Indicator.objects.get(code="BUILDING_FIRES")
    page.locator("select[name=indicator]").select_option(str(fires.pk))
    page.locator("[name=baseline_value]").fill("12")
    page.locator("[name=baseline_on]").fill("2025-12-31")
    page.locator("[name=target_value]").fill("8")
    page.locator("[name=target_on]").fill("2027-12-31")
    page.get_by_role("button", name="Lisa seireindikaator").click()
    page.locator("select[name=plan_indicator]").select_option(index=1)
    page.locator("[name=measured_on]").fill("2026-06-30")
    page.locator("[name=value]").fill("10")
    page.get_by_role("button", name="Lisa mõõtmine").click()
    expect(page.locator("svg.indicator-chart circle.chart-point")).to_have_count(1)
    expect(page.get_by_text("50% teest sihini").first).to_be_visible()

    page.get_by_role("link", name="Ülevaade").click()
    # The first submission is the first year's plan.
    page.get_by_role("button", name=re.compile(r"^Esita \d{4}\. aasta tegevuskava$")).click()
    expect(page.locator("main .badge").first).to_have_text("Kinnitamiseks esitatud")

    ministry_page = new_page()
    sign_in(ministry_page, ministry.email)
    ministry_page.goto(f"/plans/{plan.pk}/")
    # Returning passes through a page that says what it does, where the comments are typed.
    ministry_page.get_by_role("link", name="Tagasta kommentaaridega…").click()
    ministry_page.get_by_label("Mida tuleb muuta").fill("Lisage tegevustele eelarve.")
    ministry_page.get_by_role("button", name="Tagasta omavalitsusele").click()
    expect(ministry_page.locator("main .badge").first).to_have_text("Kommentaaridega tagastatud")
    expect(ministry_page.get_by_text("Lisage tegevustele eelarve.")).to_be_visible()
