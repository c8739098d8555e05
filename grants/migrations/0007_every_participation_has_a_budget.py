"""A participation has its budget lines from the moment it exists (grants/signals.py). Those
taken in before then, which got theirs only when their ledger was first opened, get them now:
the whole grant as one line not yet allocated, as grants.services.ensure_budget gives them."""

from typing import Any

from django.db import migrations


def give_budgets(apps: Any, schema_editor: Any) -> None:
    Participation = apps.get_model("programme", "Participation")
    BudgetLine = apps.get_model("grants", "BudgetLine")
    BudgetLine.objects.bulk_create(
        BudgetLine(
            participation=participation,
            category="other",
            description="Veel jaotamata",  # stored data is in Estonian
            amount=participation.grant_amount,
        )
        for participation in Participation.objects.filter(budget_lines__isnull=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0006_ledger_refuses_truncate"),
        ("programme", "0007_search_indexes"),
    ]

    operations = [migrations.RunPython(give_budgets, migrations.RunPython.noop)]
