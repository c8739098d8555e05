"""The audit log and the ledger take one kind of UPDATE on PostgreSQL: inside a transaction that
has set ``turvaportaal.pseudonymising`` (privacy.pseudonyms.rewriting_personal_data), a change
of the columns that hold personal data only. Any other column changed, any DELETE or TRUNCATE,
and any UPDATE outside that path are refused as before. SQLite keeps refusing every UPDATE."""

from typing import Any

from django.db import migrations

# (trigger function, refusal, the columns that must stay as written, and what the others may
# become: an address or a document is only ever removed, never replaced)
TABLES = [
    (
        "audit_event_append_only",
        "audit records are never changed or deleted",
        ["id", "at", "actor_id", "action", "object_type", "object_id"],
        "NEW.ip_address IS NOT DISTINCT FROM OLD.ip_address OR NEW.ip_address IS NULL",
    ),
    (
        "grants_ledger_append_only",
        "ledger entries are never changed or deleted; add a reversal",
        [
            "id",
            "participation_id",
            "kind",
            "amount",
            "entry_on",
            "budget_line_id",
            "invoice_number",
            "tranche",
            "reverses_id",
            "created_by_id",
            "created_at",
        ],
        "NEW.document = OLD.document OR NEW.document = ''",
    ),
]


def _function(name: str, refusal: str, body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN
            {body}
            RAISE EXCEPTION '{refusal}';
        END;
        $$ LANGUAGE plpgsql;"""


def narrow(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, refusal, kept, removed_only in TABLES:
        new = ", ".join(f"NEW.{column}" for column in kept)
        old = ", ".join(f"OLD.{column}" for column in kept)
        body = f"""IF TG_OP = 'UPDATE'
                AND current_setting('turvaportaal.pseudonymising', true) = 'on'
                AND ROW({new}) IS NOT DISTINCT FROM ROW({old})
                AND ({removed_only}) THEN
                RETURN NEW;
            END IF;"""
        schema_editor.execute(_function(name, refusal, body))


def close(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, refusal, _kept, _removed_only in TABLES:
        schema_editor.execute(_function(name, refusal, ""))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_audit_refuses_truncate"),
        ("grants", "0006_ledger_refuses_truncate"),
    ]

    operations = [migrations.RunPython(narrow, close)]
