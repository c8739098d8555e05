"""The programme from application to progress report in real Chromium: each person walks their
main path through the pages, in the order the programme runs, each in a browser of their own.

After each step the test reads what the person sees and what the tables now hold."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.models import Role, User
from actionplans.models import ActionPlan, Component, PlanRevision
from applications.models import Application, Assignment, Score, SelectionDecision, Status
from counselling.models import CounsellingSession
from grants.models import EntryState, LedgerEntry
from programme.models import Call, County, Participation
from reports.models import Report
from tests.browser.conftest import sign_in
from tests.browser.steps import (
    confirm_declaration,
    fill_activities,
    fill_application_form,
    fill_budget,
    score,
    upload_council_decision,
)
from tests.factories import CallFactory, UserFactory
from turvaportaal.lib.money import format_money

pytestmark = pytest.mark.browser

CALL_TITLE = "Turvalisuse arenguprogramm, II etapp"


@dataclass
class People:
    """Each person's page, in a browser context of their own, signed in."""

    municipality: Page
    ministry: Page
    evaluator: Page
    provider: Page


def signed_in(new_page: Callable[[], Page], user: User) -> Page:
    page = new_page()
    sign_in(page, user.email)
    return page


def apply(page: Page, call: Call) -> Application:
    expect(page.get_by_role("heading", name="Avatud taotlusvoorud")).to_be_visible()
    page.get_by_role("button", name="Alusta taotluse koostamist").click()
    fill_application_form(page, start_year=timezone.localdate().year)
    fill_budget(page)
    fill_activities(page)
    upload_council_decision(page)
    expect(page.get_by_role("heading", name="Kontrollige vastuseid enne esitamist")).to_be_visible()
    confirm_declaration(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Taotlus on esitatud")
    application = Application.objects.get(call=call)
    expect(page.get_by_role("status").first).to_contain_text(application.receipt_number)
    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    assert application.budget_lines.aggregate(total=Sum("amount"))["total"] == 35000
    return application


def evaluate(people: People, call: Call, evaluator: User) -> None:
    ministry = people.ministry
    ministry.get_by_role("link", name="Taotlusvoorud", exact=True).click()
    ministry.get_by_role("link", name=CALL_TITLE).click()
    ministry.get_by_role("button", name="Alusta esitatud taotluste hindamist").click()
    expect(ministry.get_by_role("status").first).to_contain_text(
        "Hindamisele suunatud taotlusi: 1."
    )
    assert Application.objects.get(call=call).status == Status.UNDER_EVALUATION

    ministry.get_by_role("link", name="Hindamine", exact=True).click()
    row = ministry.get_by_role("row", name=re.compile("Rapla vald"))
    row.get_by_label("Hindaja").select_option(label=str(evaluator))
    row.get_by_role("button", name="Määra").click()
    expect(ministry.get_by_role("status").first).to_contain_text("Hindaja on määratud.")
    expect(ministry.get_by_role("row", name=re.compile("Rapla vald"))).to_contain_text(
        evaluator.full_name
    )
    assignment = Assignment.objects.get(application__call=call)
    assert assignment.evaluator == evaluator

    # The top of the narrowest scale: a score every criterion takes without a comment.
    top = min(criterion.scale_max for criterion in call.criteria.all())
    score(people.evaluator, assignment, top)
    assignment.refresh_from_db()
    assert assignment.has_conflict is False
    assert assignment.submitted_at is not None
    assert (
        sorted(Score.objects.filter(assignment=assignment).values_list("value", flat=True))
        == [top] * call.criteria.count()
    )


def select(page: Page, call: Call) -> Participation:
    year = timezone.localdate().year
    page.get_by_role("link", name="Koosta valiku ettepanek").click()
    expect(page.get_by_role("row", name=re.compile("Rapla vald"))).to_contain_text(
        f"Valitud (järjestuses 1. koht), alustab {year}. aastal."
    )
    page.get_by_role("button", name="Jätka kinnitamiseni…").click()
    page.get_by_role("button", name="Kinnita valik").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kinnitatud valik")
    expect(page.get_by_role("status").first).to_contain_text("Valik on kinnitatud")

    application = Application.objects.get(call=call)
    assert application.status == Status.SELECTED
    decision = SelectionDecision.objects.get(application=application)
    participation = Participation.objects.get(municipality=application.municipality)
    assert decision.participation == participation
    assert participation.cohort.start_year == year
    assert participation.grant_amount == call.grant_amount
    # The budget the application planned became the grant's budget lines.
    assert sorted(participation.budget_lines.values_list("description", "amount")) == sorted(
        application.budget_lines.values_list("description", "amount")
    )
    page.get_by_role("link", name="Osalused", exact=True).first.click()
    expect(page.get_by_role("row", name=re.compile("Rapla vald"))).to_contain_text(
        str(participation.cohort)
    )
    return participation


def plan(people: People, participation: Participation) -> None:
    page = people.municipality
    page.get_by_role("link", name="Töölaud", exact=True).click()
    page.get_by_role("link", name="Turvalisuse tegevuskava").click()
    page.get_by_role("button", name="Alusta tegevuskava koostamist").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapla vald")

    # The least a plan is submitted with: an activity for each programme component.
    page.get_by_role("link", name="Tegevused", exact=True).click()
    for index, component in enumerate(Component):
        if index:
            page.get_by_role("button", name="Lisa tegevus").click()
        row = f"activities-{index}"
        page.locator(f"[name={row}-title]").fill(f"Tegevus {index + 1}")
        page.locator(f"[name={row}-component]").select_option(component)
        page.locator(f"[name={row}-start_month]").fill("1")
        page.locator(f"[name={row}-end_month]").fill("12")
        page.locator(f"[name={row}-responsible]").fill("Koordinaator")
    page.get_by_role("button", name="Salvesta", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Salvestatud")
    action_plan = ActionPlan.objects.get(participation=participation)
    assert sorted(action_plan.activities.values_list("component", flat=True)) == sorted(Component)

    page.get_by_role("link", name="Ülevaade").click()
    # The first submission is the first year's plan.
    page.get_by_role("button", name=re.compile(r"^Esita \d{4}\. aasta tegevuskava$")).click()
    expect(page.locator("main .badge").first).to_have_text("Kinnitamiseks esitatud")
    action_plan.refresh_from_db()
    assert action_plan.status == ActionPlan.Status.SUBMITTED

    ministry = people.ministry
    ministry.get_by_role("link", name="Tegevuskavad", exact=True).click()
    ministry.get_by_role("link", name="Rapla vald").click()
    # Approving passes through a page that says what it does.
    ministry.get_by_role("link", name="Kinnita…").click()
    ministry.get_by_role("button", name="Kinnita versioonina 1").click()
    expect(ministry.locator("main .badge").first).to_have_text("Kinnitatud")
    action_plan.refresh_from_db()
    assert action_plan.status == ActionPlan.Status.APPROVED
    assert PlanRevision.objects.filter(plan=action_plan, number=1).exists()


def spend(people: People, participation: Participation) -> None:
    today = timezone.localdate()
    page = people.municipality
    page.get_by_role("link", name="Töölaud", exact=True).click()
    page.get_by_role("link", name="Toetuse arvestus").click()
    form = page.locator("form", has=page.get_by_role("heading", name="Kulu esitamine"))
    form.get_by_label("Eelarverida").select_option(
        label="Koolitused ja üritused: Ennetuskoolitused"
    )
    form.get_by_label("Summa (EUR)").fill("1250.50")
    form.get_by_label("Kuupäev").fill(today.strftime("%d.%m.%Y"))
    form.get_by_label("Kirjeldus").fill("Ennetuskoolitus ametnikele")
    form.get_by_label("Tarnija").fill("Koolitus OÜ")
    form.get_by_label("Arve number").fill("A-17")
    form.get_by_role("button", name="Esita", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("ootab ministeeriumi kinnitamist")
    entry = LedgerEntry.objects.get(participation=participation)
    assert entry.kind == LedgerEntry.Kind.EXPENDITURE
    assert entry.amount == Decimal("1250.50")
    assert entry.budget_line.description == "Ennetuskoolitused"
    assert LedgerEntry.objects.with_state().get(pk=entry.pk).state == EntryState.PENDING

    ministry = people.ministry
    ministry.get_by_role("link", name="Toetused", exact=True).click()
    ministry.get_by_role("link", name="Rapla vald").click()
    row = ministry.get_by_role("row", name=re.compile("Ennetuskoolitus ametnikele"))
    expect(row).to_contain_text("ootab kinnitamist")
    row.get_by_role("button", name="Kinnita").click()
    row = ministry.get_by_role("row", name=re.compile("Ennetuskoolitus ametnikele"))
    expect(row).to_contain_text("kinnitatud")
    assert LedgerEntry.objects.with_state().get(pk=entry.pk).state == EntryState.APPROVED
    # Spent and remaining, recomputed from the entries themselves.
    spent = sum(
        amount
        for amount, kind in participation.ledger_entries.values_list("amount", "kind")
        if kind == LedgerEntry.Kind.EXPENDITURE
    )
    summary = ministry.locator("main p").filter(has_text="Kasutatud")
    expect(summary).to_contain_text(f"Kasutatud {format_money(spent)}")
    expect(summary).to_contain_text(f"Jääk {format_money(participation.grant_amount - spent)}")


def counsel(people: People, participation: Participation, provider: User) -> None:
    assert provider.service_provider is not None
    ministry = people.ministry
    ministry.get_by_role("link", name="Teenuseosutajad", exact=True).click()
    ministry.get_by_role("link", name="Määra omavalitsused").click()
    ministry.get_by_label("Rapla vald").check()
    ministry.get_by_label("Märgitud omavalitsuste teenuseosutaja").select_option(
        label=provider.service_provider.name
    )
    ministry.get_by_role("button", name="Salvesta määramised").click()
    expect(ministry.get_by_role("status").first).to_contain_text("1 määramine on muudetud.")
    participation.refresh_from_db()
    assert participation.service_provider == provider.service_provider

    today = timezone.localdate()
    page = people.provider
    page.get_by_role("link", name="Nõustamine", exact=True).first.click()
    page.get_by_role("link", name="Logi nõustamiskohtumine").click()
    page.locator("[name=participation]").select_option(label="Rapla vald")
    page.locator("[name=held_on]").fill(today.strftime("%d.%m.%Y"))
    page.locator("[name=duration_hours]").fill("2")
    page.locator("[name=format]").select_option("on_site")
    page.locator("[name=topics][value=action_plan]").check()
    page.locator("[name=summary]").fill("Tegevuskava elluviimine.")
    page.locator("[name=attendees-0-name]").fill("Tiina Rapla")
    page.locator("[name=attendees-0-role]").fill("arendusjuht")
    page.get_by_role("button", name="Salvesta kohtumine").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapla vald")
    session = CounsellingSession.objects.get(participation=participation)
    assert session.service_provider == provider.service_provider
    assert session.confirmation == CounsellingSession.Confirmation.AWAITING

    municipality = people.municipality
    municipality.get_by_role("link", name="Töölaud", exact=True).click()
    municipality.get_by_role("link", name="1 kohtumine ootab omavalitsuse kinnitust.").click()
    municipality.get_by_role("link", name=today.strftime("%d.%m.%Y")).click()
    municipality.get_by_role("button", name="Kinnita", exact=True).click()
    expect(municipality.get_by_text("omavalitsus on kinnitanud")).to_be_visible()
    session.refresh_from_db()
    assert session.confirmation == CounsellingSession.Confirmation.CONFIRMED


def report(page: Page, participation: Participation) -> None:
    page.get_by_role("link", name="Aruanded", exact=True).click()
    page.locator("#id_participation").fill("rapla")
    page.get_by_role("button", name="Rapla vald", exact=True).click()
    page.locator("#id_participation").locator("xpath=ancestor::form").get_by_role(
        "button", name="Koosta aruanne"
    ).click()
    # Without a queue the report is rendered in the request, and its page offers the file.
    download = page.get_by_role("link", name="Laadi alla PDF-fail")
    expect(download).to_be_visible()
    made = Report.objects.get(participation=participation)
    assert made.kind == Report.Kind.MUNICIPALITY
    assert made.status == Report.Status.DONE
    with page.expect_download() as pdf:
        download.click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    text = " ".join(
        " ".join(sheet.extract_text().split()) for sheet in PdfReader(pdf.value.path()).pages
    )
    assert "Rapla vald" in text
    # The money spent, as the ledger's entries add it up.
    spent = sum(participation.ledger_entries.values_list("amount", flat=True))
    assert " ".join(format_money(spent).split()) in text


def test_the_programme_from_application_to_progress_report(new_page, kov_a, ministry, provider):
    call = CallFactory(title=CALL_TITLE, years={timezone.localdate().year: 4})
    evaluator = UserFactory(
        role=Role.COUNTY_EVALUATOR,
        county=County.objects.get(name="Rapla maakond"),
        email="mati@mtn.example",
        full_name="Mati Maakond",
    )
    people = People(
        municipality=signed_in(new_page, kov_a),
        ministry=signed_in(new_page, ministry),
        evaluator=signed_in(new_page, evaluator),
        provider=signed_in(new_page, provider),
    )

    # 1. The municipality applies from its dashboard.
    apply(people.municipality, call)
    # The deadline passes: the browser cannot wait for it.
    Call.objects.filter(pk=call.pk).update(deadline_at=timezone.now() - timedelta(minutes=1))
    # 2. The ministry starts the evaluation and assigns an evaluator, who scores.
    evaluate(people, call, evaluator)
    # 3. The ministry confirms the selection.
    participation = select(people.ministry, call)
    # 4. The municipality writes its action plan; the ministry approves it.
    plan(people, participation)
    # 5. The municipality reports an expenditure; the ministry approves it.
    spend(people, participation)
    # 6. The provider logs a session; the municipality confirms it.
    counsel(people, participation, provider)
    # 7. The ministry makes the municipality's progress report and downloads it.
    report(people.ministry, participation)
