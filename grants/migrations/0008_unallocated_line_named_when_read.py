"""The line not yet allocated is named when read, in the reader's language: a flag instead of a
name stored in one language. Lines stored under either language's name become flagged."""

from typing import Any

from django.db import migrations, models

# The names the line was stored under: Estonian since 0007, English before the portal was
# translated.
STORED_NAMES = ["Veel jaotamata", "Not yet allocated"]


def flag_unallocated(apps: Any, schema_editor: Any) -> None:
    BudgetLine = apps.get_model("grants", "BudgetLine")
    BudgetLine.objects.filter(category="other", description__in=STORED_NAMES).update(
        is_unallocated=True, description=""
    )
    # Every other line keeps a description (the constraint below).
    BudgetLine.objects.filter(is_unallocated=False, description="").update(description="—")


def name_unallocated(apps: Any, schema_editor: Any) -> None:
    BudgetLine = apps.get_model("grants", "BudgetLine")
    BudgetLine.objects.filter(is_unallocated=True).update(description=STORED_NAMES[0])


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0007_every_participation_has_a_budget"),
        ("programme", "0007_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="budgetline",
            name="is_unallocated",
            field=models.BooleanField(default=False, verbose_name="not yet allocated"),
        ),
        migrations.AlterField(
            model_name="budgetline",
            name="description",
            field=models.CharField(blank=True, max_length=300, verbose_name="description"),
        ),
        migrations.RunPython(flag_unallocated, name_unallocated),
        migrations.AddConstraint(
            model_name="budgetline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_unallocated", True),
                    models.Q(("description", ""), _negated=True),
                    _connector="OR",
                ),
                name="grant_budget_line_has_description",
            ),
        ),
    ]
