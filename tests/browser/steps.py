"""Steps of a person's path through the pages that more than one browser test takes."""

from playwright.sync_api import Page, expect

from applications.models import ESSAY_FIELDS, Assignment
from tests.factories import pdf_bytes


def fill_application_form(page: Page, *, start_year: int = 2027) -> None:
    page.get_by_label("Kontaktisik").fill("Tiina Rapla")
    page.get_by_label("Ametikoht").fill("Turvalisuse spetsialist")
    page.get_by_label("Telefon").fill("+372 5555 1234")
    for name in ESSAY_FIELDS:
        page.locator(f"[name={name}]").fill(f"Rapla vald: {name}")
    page.locator("[name=team-0-name]").fill("Tiina Rapla")
    page.locator("[name=team-0-kind]").select_option("official")
    page.locator("[name=team-0-role]").fill("Koordinaator")
    page.get_by_role("button", name="Lisa meeskonna liige").click()
    page.locator("[name=team-1-name]").fill("Jaan Volikogu")
    page.locator("[name=team-1-kind]").select_option("council_member")
    page.locator("[name=team-1-role]").fill("Volikogu esindaja")
    page.get_by_label("Eelistatud alustamisaasta").select_option(str(start_year))
    page.get_by_role("button", name="Salvesta ja jätka").click()


# What the walks type into the budget and the activity plan: the lines total the grant.
BUDGET_LINES = [
    ("staff", "Koordinaatori töötasu", "20000"),
    ("training", "Ennetuskoolitused", "10000.50"),
    ("services", "Olukorra analüüs", "4999.50"),
]
ACTIVITIES = [("Olukorra analüüs", "1", "6"), ("Turvalisuse tegevuskava", "7", "24")]


def fill_budget(page: Page) -> None:
    for index, (category, description, amount) in enumerate(BUDGET_LINES):
        if index:
            page.get_by_role("button", name="Lisa eelarverida").click()
        page.locator(f"[name=budget-{index}-category]").select_option(category)
        page.locator(f"[name=budget-{index}-description]").fill(description)
        page.locator(f"[name=budget-{index}-amount]").fill(amount)
    # The running total follows the typing, before anything is saved.
    expect(page.locator("[data-budget-left]")).to_have_text("0,00")
    page.get_by_role("button", name="Salvesta ja jätka").click()


def fill_activities(page: Page) -> None:
    for index, (title, start, end) in enumerate(ACTIVITIES):
        if index:
            page.get_by_role("button", name="Lisa tegevus").click()
        page.locator(f"[name=activities-{index}-title]").fill(title)
        page.locator(f"[name=activities-{index}-responsible]").fill("Koordinaator")
        page.locator(f"[name=activities-{index}-start_month]").fill(start)
        page.locator(f"[name=activities-{index}-end_month]").fill(end)
    page.locator("[name=activities-0-partners]").first.check()
    page.get_by_role("button", name="Salvesta ja jätka").click()


def upload_council_decision(page: Page) -> None:
    """On the decision section: upload the council's decision, on to checking the answers."""
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "volikogu-otsus.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name="Laadi üles ja jätka").click()


def confirm_declaration(page: Page) -> None:
    """On the check-your-answers page: tick both statements and submit."""
    page.get_by_label("Kohaliku omavalitsuse volikogu või valitsus otsustas").check()
    page.get_by_label("Taotluses esitatud andmed on õiged ja täielikud.").check()
    page.get_by_role("button", name="Kinnita ja esita").click()


def score(page: Page, assignment: Assignment, value: int) -> None:
    """The evaluator declares no conflict and gives every criterion the same score."""
    menu = page.get_by_role("navigation", name="Peamenüü")
    menu.get_by_role("link", name="Minu hindamised", exact=True).click()
    page.get_by_role("link", name=assignment.application.municipality.name).click()
    page.get_by_label("Ei, mul ei ole huvide konflikti").check()
    page.get_by_role("button", name="Deklareeri").click()
    for criterion in assignment.application.call.criteria.all():
        page.locator(f"input[name=score_{criterion.pk}][value='{value}']").check()
    page.get_by_role("button", name="Esita hinded").click()
    expect(page.get_by_role("status").first).to_contain_text("Teie hinded on esitatud.")
