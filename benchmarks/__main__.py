"""`make bench`: every benchmark of the portal, one figure a line: bench <name> <number> <unit>.

The ledger and report benchmarks run in a throwaway test database (PostgreSQL when DATABASE_URL
names it); the page, admin and load benchmarks in databases seeded at N=1 and N=100 times
Estonia's size, <database>_scale1 and <database>_scale100, built on the first run and kept
(benchmarks/scaled.py). `python -m benchmarks pages load` runs only the benchmarks named.
"""

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "turvaportaal.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from benchmarks import (  # noqa: E402
    admin_ratio,
    deadline_day,
    evaluation,
    ledger,
    load,
    pages,
    reports,
    selection,
)

# Refused pages (the page and load benchmarks try every route as every role) and sign-ins are
# not news here.
logging.getLogger("django.request").setLevel(logging.ERROR)
logging.getLogger("axes").setLevel(logging.WARNING)

chosen = set(sys.argv[1:]) or {
    "selection",
    "ledger",
    "reports",
    "evaluation",
    "pages",
    "admin_ratio",
    "load",
    "deadline_day",
}
if connection.vendor != "postgresql":
    print("bench: on SQLite; the goals are set for PostgreSQL (set DATABASE_URL)")

if "selection" in chosen:
    selection.run()


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A fresh test database for the block, destroyed after it."""
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)


setup_test_environment()
if "ledger" in chosen:
    with throwaway_database():
        ledger.run()
# A fresh database of its own: the reports read every table.
if "reports" in chosen:
    with throwaway_database():
        reports.run()
# The pages are timed without the test environment's template instrumentation.
teardown_test_environment()

# A fresh database of its own, the page timed as the other pages are.
if "evaluation" in chosen:
    with throwaway_database():
        evaluation.run()
if "pages" in chosen:
    pages.run()
if "admin_ratio" in chosen:
    admin_ratio.run()
if "load" in chosen:
    load.run()
# A fresh database of its own, served by two web processes as deployed.
if "deadline_day" in chosen:
    with throwaway_database():
        deadline_day.run()
