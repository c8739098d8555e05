"""`make bench`: every benchmark of the portal, one figure a line: bench <name> <number> <unit>.

The database benchmarks run in a throwaway test database (PostgreSQL when DATABASE_URL names it).
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "turvaportaal.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from benchmarks import ledger, reports, selection  # noqa: E402

selection.run()

setup_test_environment()
database = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
try:
    ledger.run()
finally:
    connection.creation.destroy_test_db(database, verbosity=0)

# A fresh database of its own: the reports read every table.
database = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
try:
    reports.run()
finally:
    connection.creation.destroy_test_db(database, verbosity=0)
