# Turvaportaal: `make run` serves the demo, `make test` runs every check.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

# Development defaults; a deployment sets its own environment (see .env.example).
export DEBUG ?= true

.PHONY: run install test bench format messages lock clean backup restore audit

run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	@echo "Turvaportaal: http://127.0.0.1:8000/  (sign-in page /accounts/login/)"
	$(MANAGE) runserver 127.0.0.1:8000

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# A step of `make test`, and how long it took.
timed = started=$$(date +%s); $(2); status=$$?; echo "make test: $(1) took $$(( $$(date +%s) - started )) s"; exit $$status
TEST_STARTED := $(shell date +%s)

# The eID sign-in tests' OpenID Connect provider (npm), named before the rule that needs it.
OIDC_PROVIDER := tests/oidc

# pytest on every core (at most 6: each worker takes Redis databases of its own, tests/conftest.py);
# worksteal, because a few tests (the accessibility walk) take minutes and most take a second.
test: install $(OIDC_PROVIDER)/node_modules/.package-lock.json
	@$(call timed,ruff,$(BIN)/ruff check . && $(BIN)/ruff format --check .)
	@$(call timed,mypy,$(BIN)/mypy .)
	@$(call timed,pytest,$(BIN)/pytest -n auto --maxprocesses 6 --dist worksteal $(PYTEST_ARGS))
	@echo "make test: passed in $$(( $$(date +%s) - $(TEST_STARTED) )) s"

# The OpenID Connect provider the eID sign-in tests start (tests/oidc/), from its lock file;
# again only when package.json or package-lock.json changes.
$(OIDC_PROVIDER)/node_modules/.package-lock.json: $(OIDC_PROVIDER)/package.json $(OIDC_PROVIDER)/package-lock.json
	npm ci --prefix $(OIDC_PROVIDER) --no-audit --no-fund --loglevel=error

# Known vulnerabilities in the pinned packages, from PyPI's advisories. --strict: a package that
# cannot be checked (PyPI or its per-version API unreachable) fails the run instead of passing
# unchecked. Not part of `make test`: it needs the network; CI runs it where PyPI answers.
audit: install
	$(BIN)/pip-audit --strict -r requirements.lock

# Speed targets of the issues, as figures: bench <name> <number> <unit>.
bench: install
	$(BIN)/python -m benchmarks

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The database (PostgreSQL only) and MEDIA_ROOT to one archive in BACKUP_DIR, and back:
# make restore BACKUP=backups/turvaportaal-....tar.gz [FORCE=1 to replace a database not empty].
backup: install
	$(MANAGE) backup

restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=path/to/backup.tar.gz [FORCE=1]" >&2; exit 2; }
	$(MANAGE) restore "$(BACKUP)" $(if $(filter 1,$(FORCE)),--force)

# Translations: English message ids, the Estonian catalogue in locale/et. The compiled .mo is
# committed, so that a fresh clone needs no gettext tools.
messages: install
	$(MANAGE) makemessages --locale et --no-obsolete --add-location file --ignore '.venv/*'
	$(MANAGE) compilemessages --locale et

# Pins every package, dependencies of dependencies included, from pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --quiet --output-file requirements.lock

clean:
	rm -rf $(VENV) staticfiles
