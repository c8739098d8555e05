"""The ledger refuses TRUNCATE as well, which fires none of the row triggers of migration 0002."""

from django.db import migrations

from turvaportaal.lib.migrations import AppendOnly

TRIGGERS = AppendOnly(
    table="grants_ledgerentry",
    name="grants_ledger_append_only",
    refusal="ledger entries are never changed or deleted; add a reversal",
)


class Migration(migrations.Migration):
    dependencies = [("grants", "0005_expenditure_review_is_append_only")]

    operations = [TRIGGERS.truncate_operation()]
