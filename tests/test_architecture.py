"""The apps import one another only as the README's architecture section says."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What each app imports, as the README lists them (in layer order). `accounts.access`, the
# sign-in and role checks, is imported by every app's views and is not listed.
IMPORTS = {
    "lib": {"accounts"},  # menu.py: who is offered each page
    "audit": {"accounts"},  # views.py: the log is for administrators
    "programme": {"audit", "accounts"},
    "accounts": {"programme", "audit"},
    "notifications": {"programme", "accounts"},
    "grants": {"programme", "accounts", "audit", "notifications"},
    "applications": {"programme", "accounts", "audit", "notifications", "grants"},
    "counselling": {"programme", "accounts", "audit", "notifications"},
    "learning": {"programme", "accounts", "audit"},
    "practices": {"programme", "accounts", "audit", "notifications"},
    "actionplans": {"programme", "accounts", "audit", "notifications", "learning"},
    "evaluation": {"programme", "accounts", "audit", "notifications", "actionplans"},
    "inquiries": {
        "programme", "accounts", "audit", "notifications", "applications", "actionplans",
        "grants",
    },
    "conversations": {"programme", "accounts", "audit", "notifications"},
    "agreements": {"programme", "accounts", "audit", "notifications"},
    "closing": {
        "programme", "accounts", "audit", "notifications", "grants", "actionplans", "practices",
    },
    "reports": {
        "programme", "accounts", "audit", "notifications", "grants", "applications",
        "counselling", "learning", "actionplans", "evaluation",
    },
    "privacy": {
        "programme", "accounts", "audit", "grants", "applications", "conversations", "agreements",
        "inquiries",
    },
    "dashboards": {
        "programme", "accounts", "applications", "counselling", "learning", "grants",
        "actionplans", "practices", "reports", "inquiries", "closing", "evaluation",
    },
    "demo": {
        "programme", "accounts", "grants", "applications", "counselling", "learning",
        "actionplans", "notifications", "inquiries", "conversations", "agreements",
    },
    "maintenance": {"grants"},
}  # fmt: skip
# The imports against the order: programme and accounts know each other (a person belongs to a
# municipality), and the audit log's page is for administrators.
KNOWS_A_LATER_APP = {"programme": {"accounts"}, "audit": {"accounts"}}
APPS = set(IMPORTS) - {"lib"}
WIRING = "turvaportaal"


def app_of(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return "lib" if parts[:2] == (WIRING, "lib") else parts[0]


def imported_apps(path: Path) -> set[str]:
    """The apps a module imports, but for the sign-in and role checks."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            if name == "accounts.access":
                continue
            top = name.split(".")[0]
            if top in APPS:
                found.add(top)
            elif name.startswith(f"{WIRING}.lib"):
                found.add("lib")
    return found


def test_each_app_imports_only_what_the_readme_says():
    unexpected = []
    for app in IMPORTS:
        folder = ROOT / WIRING / "lib" if app == "lib" else ROOT / app
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            extra = imported_apps(path) - IMPORTS[app] - {app, "lib"}
            unexpected += [f"{path.relative_to(ROOT)} imports {name}" for name in sorted(extra)]
    assert not unexpected, "\n".join(unexpected)


def test_the_readme_lists_the_apps_in_the_same_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Architecture") : readme.index("### Reports")]
    listed = [app for app in IMPORTS if app != "lib"]
    positions = [section.index(f"- `{app}/`") for app in listed]
    assert positions == sorted(positions)
    for app in listed:
        later = {other for other in listed[listed.index(app) :] if other in IMPORTS[app]}
        assert later <= KNOWS_A_LATER_APP.get(app, set()), (app, later)
