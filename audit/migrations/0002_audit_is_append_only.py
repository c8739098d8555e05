"""The audit log keeps every record as written: the database refuses UPDATE and DELETE on it."""

from django.db import migrations

from turvaportaal.lib.migrations import AppendOnly

TRIGGERS = AppendOnly(
    table="audit_auditevent",
    name="audit_event_append_only",
    refusal="audit records are never changed or deleted",
)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [TRIGGERS.operation()]
