"""The budget line not yet allocated is named when read, in the reader's language."""

import csv
import importlib
import io
from decimal import Decimal

from django.apps import apps
from django.urls import reverse
from django.utils import translation

from grants import services
from grants.models import BudgetLine
from programme.models import BudgetCategory
from tests.grants.conftest import expenditure_kwargs
from turvaportaal.lib.money import format_money

MIGRATION = importlib.import_module("grants.migrations.0008_unallocated_line_named_when_read")


def test_the_line_not_yet_allocated_stores_no_name(participation):
    [line] = participation.budget_lines.filter(is_unallocated=True)
    assert line.description == ""
    planned = sum(
        participation.budget_lines.filter(is_unallocated=False).values_list("amount", flat=True)
    )
    assert line.amount == participation.grant_amount - planned == Decimal("5000.00")


def test_the_ledger_names_the_line_in_the_readers_language(participation, client_for, kov_a):
    reserve = participation.budget_lines.get(is_unallocated=True)
    services.record_expenditure(**expenditure_kwargs(participation, reserve, "12.50", kov_a))
    url = reverse("ledger", args=[participation.pk])
    for language, name, other in [
        ("et", "Veel jaotamata", "Not yet allocated"),
        ("en", "Not yet allocated", "Veel jaotamata"),
    ]:
        page = client_for(kov_a, language).get(url).content.decode()
        with translation.override(language):
            line = f"{BudgetCategory(reserve.category).label}: {name}"
            amount = format_money(reserve.amount)
        assert line in page and amount in page
        assert other not in page
        # The entry on the line names it too.
        assert page.count(name) >= 2


def test_the_entries_export_names_the_line_in_the_readers_language(
    participation, client_for, kov_a, ministry
):
    reserve = participation.budget_lines.get(is_unallocated=True)
    services.record_expenditure(**expenditure_kwargs(participation, reserve, "12.50", kov_a))
    for language, name in [("et", "Veel jaotamata"), ("en", "Not yet allocated")]:
        response = client_for(ministry, language).get(
            reverse("ledger_entries_export", args=["csv"])
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        [entry] = [row for row in rows if "Arve" in row]
        assert name in entry


def test_the_migration_turns_stored_names_into_the_flag_and_back(participation):
    line = participation.budget_lines.get(is_unallocated=True)
    BudgetLine.objects.filter(pk=line.pk).update(is_unallocated=False, description="Veel jaotamata")
    english = BudgetLine.objects.create(
        participation=participation, category="other", description="Not yet allocated", amount=0
    )
    kept = participation.budget_lines.get(category="staff")
    MIGRATION.flag_unallocated(apps, None)
    assert set(
        participation.budget_lines.filter(is_unallocated=True).values_list("pk", "description")
    ) == {
        (line.pk, ""),
        (english.pk, ""),
    }
    kept.refresh_from_db()
    assert (kept.is_unallocated, kept.description) == (False, "Koordinaator")
    MIGRATION.name_unallocated(apps, None)
    line.refresh_from_db()
    assert line.description == "Veel jaotamata"
