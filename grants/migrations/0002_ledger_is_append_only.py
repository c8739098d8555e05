"""The ledger keeps every entry as written: the database refuses UPDATE and DELETE on it."""

from django.db import migrations

POSTGRESQL = """
CREATE FUNCTION grants_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are never changed or deleted; add a reversal';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER grants_ledger_append_only
    BEFORE UPDATE OR DELETE ON grants_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION grants_ledger_append_only();
"""
POSTGRESQL_UNDO = """
DROP TRIGGER grants_ledger_append_only ON grants_ledgerentry;
DROP FUNCTION grants_ledger_append_only();
"""
SQLITE = [
    """CREATE TRIGGER grants_ledger_no_update BEFORE UPDATE ON grants_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'ledger entries are never changed; add a reversal'); END;""",
    """CREATE TRIGGER grants_ledger_no_delete BEFORE DELETE ON grants_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'ledger entries are never deleted; add a reversal'); END;""",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_UNDO)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER grants_ledger_no_update")
        schema_editor.execute("DROP TRIGGER grants_ledger_no_delete")


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
