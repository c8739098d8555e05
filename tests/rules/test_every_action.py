"""Every action with a predicate is in a table of tests/rules, and every row names a real
action: a new action cannot go in without saying who may do it."""

import importlib
import pkgutil
from pathlib import Path

from django.apps import apps
from django.conf import settings

import tests.rules
from turvaportaal.lib.rules import RULES


def test_every_action_has_a_row_and_every_row_an_action():
    for config in apps.get_app_configs():
        own = Path(config.path).parent == settings.BASE_DIR
        if own and Path(config.path, "rules.py").is_file():
            importlib.import_module(f"{config.name}.rules")
    listed = set()
    for module in pkgutil.iter_modules(tests.rules.__path__):
        if module.name.startswith("test_") and module.name != "test_every_action":
            table = importlib.import_module(f"tests.rules.{module.name}").TABLE
            listed |= {table_row.action for table_row in table}
    assert sorted(set(RULES) - listed) == [], "actions no table lists"
    assert sorted(listed - set(RULES)) == [], "rows of actions that do not exist"
