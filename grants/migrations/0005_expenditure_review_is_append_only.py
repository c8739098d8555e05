"""A review stays as decided: the database refuses UPDATE, DELETE and TRUNCATE on the reviews, so
that a rejected expenditure cannot quietly become an approved one."""

from django.db import migrations

from turvaportaal.lib.migrations import AppendOnly

TRIGGERS = AppendOnly(
    table="grants_expenditurereview",
    name="grants_review_append_only",
    refusal="expenditure reviews are never changed or deleted",
)


class Migration(migrations.Migration):
    dependencies = [("grants", "0004_ledger_document_generated_name")]

    operations = [TRIGGERS.operation(), TRIGGERS.truncate_operation()]
