"""Migration operations that act only on PostgreSQL: `make run` uses SQLite, which has no GIN
indexes, so there they change the migration state alone (as Django's TrigramExtension does)."""

from typing import Any

from django.db import migrations


class AddPostgresIndex(migrations.AddIndex):
    """An index that only PostgreSQL builds (GIN with trigram operators)."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)


class AppendOnly:
    """Triggers that make the database refuse UPDATE and DELETE on a table, on PostgreSQL and
    SQLite alike: what is written there stays as written whoever connects.

    ``name`` names the trigger function (PostgreSQL) and the triggers; ``refusal`` is the error.
    PostgreSQL's TRUNCATE fires no row trigger, so it has a statement trigger of its own,
    ``truncate_operation`` (SQLite has no TRUNCATE).
    """

    def __init__(self, *, table: str, name: str, refusal: str) -> None:
        self.table, self.name, self.refusal = table, name, refusal

    def create(self, apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                f"""CREATE FUNCTION {self.name}() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '{self.refusal}';
                END;
                $$ LANGUAGE plpgsql;
                CREATE TRIGGER {self.name} BEFORE UPDATE OR DELETE ON {self.table}
                    FOR EACH ROW EXECUTE FUNCTION {self.name}();"""
            )
        elif vendor == "sqlite":
            for event in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"""CREATE TRIGGER {self.name}_{event.lower()} BEFORE {event} ON {self.table}
                    BEGIN SELECT RAISE(ABORT, '{self.refusal}'); END;"""
                )

    def drop(self, apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER {self.name} ON {self.table}")
            schema_editor.execute(f"DROP FUNCTION {self.name}()")
        elif vendor == "sqlite":
            for event in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER {self.name}_{event}")

    def operation(self) -> migrations.RunPython:
        return migrations.RunPython(self.create, self.drop)

    @property
    def truncate_trigger(self) -> str:
        return f"{self.name}_truncate"

    def refuse_truncate(self, apps: Any, schema_editor: Any) -> None:
        # The function of `create` raises before any row is touched, whatever the trigger's level.
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"""CREATE TRIGGER {self.truncate_trigger} BEFORE TRUNCATE ON {self.table}
                    FOR EACH STATEMENT EXECUTE FUNCTION {self.name}();"""
            )

    def allow_truncate(self, apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER {self.truncate_trigger} ON {self.table}")

    def truncate_operation(self) -> migrations.RunPython:
        """Refuse TRUNCATE as well, once `operation` has run (it makes the function)."""
        return migrations.RunPython(self.refuse_truncate, self.allow_truncate)
