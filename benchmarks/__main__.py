"""`make bench`: every benchmark of the portal, one figure a line: bench <name> <number> <unit>."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "turvaportaal.settings")
django.setup()

from benchmarks import selection  # noqa: E402

selection.run()
