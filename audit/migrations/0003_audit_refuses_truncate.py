"""The audit log refuses TRUNCATE as well, which fires none of the row triggers of 0002."""

from django.db import migrations

from turvaportaal.lib.migrations import AppendOnly

TRIGGERS = AppendOnly(
    table="audit_auditevent",
    name="audit_event_append_only",
    refusal="audit records are never changed or deleted",
)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_audit_is_append_only")]

    operations = [TRIGGERS.truncate_operation()]
