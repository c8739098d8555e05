"""Databases seeded at N times Estonia's size (`seed_demo --scale N`), built once and kept:
<database>_scale<N> beside the configured database. BENCH_REBUILD=1 builds them again."""

import io
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from actionplans.models import ActionPlan
from demo.scale import PARTICIPATING

SEED = 2026
_rebuilt: set[str] = set()  # BENCH_REBUILD builds each database once a run, not once a benchmark


def database_name(scale: int) -> str:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        path = Path(name)
        return str(path.with_name(f"{path.stem}_scale{scale}{path.suffix or '.sqlite3'}"))
    return f"{name}_scale{scale}"


def _create(name: str, rebuild: bool) -> None:
    if connection.vendor == "sqlite":
        if rebuild:
            Path(name).unlink(missing_ok=True)
        return
    with connection._nodb_cursor() as cursor:
        if rebuild:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def scaled_database(scale: int) -> Iterator[str]:
    """Point the connection at the database seeded at this scale, building it if need be."""
    original = connection.settings_dict["NAME"]
    name = database_name(scale)
    connection.close()
    _create(name, rebuild=os.environ.get("BENCH_REBUILD") == "1" and name not in _rebuilt)
    _rebuilt.add(name)
    connection.settings_dict["NAME"] = name
    try:
        call_command("migrate", verbosity=0)
        if ActionPlan.objects.count() < len(PARTICIPATING) * scale:
            started = time.perf_counter()
            call_command("seed_demo", scale=scale, seed=SEED, stdout=io.StringIO())
            print(f"bench seed_scale{scale}_s {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        yield name
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
