"""The flush that ends a transactional test empties every table, and the append-only ones refuse
it: on PostgreSQL it is a TRUNCATE, which their statement trigger refuses (on an empty table too,
so emptying them first would not do), on SQLite a DELETE, which their row triggers refuse. The
suite's flush takes their guards off and puts them back within its own transaction, so that no
test, nor any other connection, ever finds a table without them. Taking a trigger off needs the
table's owner, not a superuser."""

import functools
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from turvaportaal.lib.migrations import AppendOnly

GUARDED: list[AppendOnly] = [
    importlib.import_module(module).TRIGGERS
    for module in (
        "grants.migrations.0006_ledger_refuses_truncate",
        "grants.migrations.0005_expenditure_review_is_append_only",
        "audit.migrations.0003_audit_refuses_truncate",
    )
]


def _sql(step: Callable[[Any, Any], None], vendor: str) -> list[str]:
    """The statements a step of AppendOnly runs, collected instead of run."""
    statements: list[str] = []
    editor = SimpleNamespace(connection=SimpleNamespace(vendor=vendor), execute=statements.append)
    step(None, editor)
    return statements


def lifting(guard: AppendOnly, vendor: str) -> tuple[list[str], list[str]]:
    """The statements that take off the guard a flush meets, and those that put it back."""
    if vendor == "postgresql":
        table, trigger = guard.table, guard.truncate_trigger
        return (
            [f"ALTER TABLE {table} DISABLE TRIGGER {trigger}"],
            [f"ALTER TABLE {table} ENABLE TRIGGER {trigger}"],
        )
    return _sql(guard.drop, vendor), _sql(guard.create, vendor)


@contextmanager
def flush_through_the_guards() -> Iterator[None]:
    """Django's flush runs its statements in one transaction: the guards of the tables it
    empties are taken off first and put back last, in the same list."""
    operations = type(connection.ops)
    sql_flush = operations.sql_flush

    @functools.wraps(sql_flush)
    def through_the_guards(ops: Any, style: Any, tables: Any, **options: Any) -> list[str]:
        statements = sql_flush(ops, style, tables, **options)
        off: list[str] = []
        on: list[str] = []
        for guard in GUARDED:
            if statements and guard.table in tables:
                lift, restore = lifting(guard, ops.connection.vendor)
                off += lift
                on += restore
        return [*off, *statements, *on]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "sql_flush", through_the_guards)
        yield
