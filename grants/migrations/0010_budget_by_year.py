from datetime import date
from decimal import Decimal

from django.db import migrations, models
import django.db.models.deletion

CENT = Decimal("0.01")


def days_in(participation, year):
    first = max(participation.start_on, date(year, 1, 1))
    last = min(participation.end_on, date(year, 12, 31))
    return max((last - first).days + 1, 0)


def split_by_year(apps, schema_editor):
    """Each line's amount between the participation's calendar years by its days in each
    (grants.models.yearly_shares as it was written); a change line to the first year."""
    BudgetLine = apps.get_model("grants", "BudgetLine")
    BudgetYear = apps.get_model("grants", "BudgetYear")
    BudgetChangeLine = apps.get_model("grants", "BudgetChangeLine")
    rows = []
    for line in BudgetLine.objects.select_related("participation"):
        participation = line.participation
        years = list(range(participation.start_on.year, participation.end_on.year + 1))
        days = {year: days_in(participation, year) for year in years}
        total = sum(days.values()) or 1
        shares = {year: (line.amount * days[year] / total).quantize(CENT) for year in years[:-1]}
        shares[years[-1]] = line.amount - sum(shares.values(), Decimal("0"))
        rows += [BudgetYear(line=line, year=year, amount=amount) for year, amount in shares.items()]
    BudgetYear.objects.bulk_create(rows)
    for move in BudgetChangeLine.objects.select_related("change__participation"):
        move.year = move.change.participation.start_on.year
        move.save(update_fields=["year"])


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0009_payment_claims"),
        ("programme", "0008_participation_closed_at_participation_closed_by"),
    ]

    operations = [
        migrations.CreateModel(
            name="BudgetYear",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2, max_digits=12, verbose_name="budget (EUR)"
                    ),
                ),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="years",
                        to="grants.budgetline",
                    ),
                ),
            ],
            options={
                "verbose_name": "yearly budget",
                "verbose_name_plural": "yearly budgets",
                "ordering": ["year", "line_id"],
                "constraints": [
                    models.UniqueConstraint(fields=("line", "year"), name="budget_line_year_once"),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gte", 0)), name="budget_year_not_negative"
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="budgetchange",
            name="within_flexible_share",
            field=models.BooleanField(
                default=False, verbose_name="within the agreement's flexible share"
            ),
        ),
        migrations.AddField(
            model_name="budgetchangeline",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="year"),
        ),
        migrations.RunPython(split_by_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="budgetchangeline",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="year"),
        ),
    ]
