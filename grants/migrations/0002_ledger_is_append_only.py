"""The ledger keeps every entry as written: the database refuses UPDATE and DELETE on it."""

from django.db import migrations

from turvaportaal.lib.migrations import AppendOnly

TRIGGERS = AppendOnly(
    table="grants_ledgerentry",
    name="grants_ledger_append_only",
    refusal="ledger entries are never changed or deleted; add a reversal",
)


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]

    operations = [TRIGGERS.operation()]
