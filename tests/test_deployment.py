"""Production settings: Django's deployment checks pass, and the headers they do not check."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

COOKIES = ["SESSION", "CSRF", "LANGUAGE"]

ROOT = Path(__file__).resolve().parent.parent


def production_environment() -> dict[str, str]:
    # The browser tests' switch for Django's async guard is a test-only setting.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return env | {
        "DEBUG": "false",
        "SECRET_KEY": "k3y-for-the-deploy-check-" + "x7Q9" * 12,
        "SITE_URL": "https://turvaportaal.siseministeerium.ee",
    }


def test_check_deploy_passes_with_production_settings():
    env = production_environment() | {
        "ALLOWED_HOSTS": "turvaportaal.siseministeerium.ee",
        "EMAIL_URL": "smtp+tls://portaal:salasona@smtp.siseministeerium.ee:587",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_migration_applies_on_sqlite(tmp_path):
    """`make run`'s database is SQLite; CI runs on PostgreSQL, where some migrations differ."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # The demo's people open their start pages there: the queries of the work queues run on
    # SQLite too, where a subquery cannot reach every join of the query around it.
    for command in (["seed_demo"], ["shell", "--verbosity", "0", "-c", START_PAGES]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["200"] * 7


START_PAGES = """
from django.test import Client
from accounts.models import User
from accounts.testing import force_login
for user in User.objects.filter(email__endswith="@example.org").order_by("pk"):
    print(force_login(Client(), user).get("/", headers={"host": "127.0.0.1"}).status_code)
"""


def test_production_refuses_to_start_without_a_secret_key():
    env = production_environment()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_html_pages_carry_the_security_headers(client):
    response = client.get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]:
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_health_check_answers_without_signing_in(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


READ_COOKIE_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
flags = ("SECURE", "HTTPONLY", "SAMESITE")
cookies = ("SESSION", "CSRF", "LANGUAGE")
print(json.dumps({c: [getattr(settings, f"{c}_COOKIE_{f}") for f in flags] for c in cookies}))
"""


def test_every_cookie_is_secure_httponly_and_samesite_in_production():
    result = subprocess.run(
        [sys.executable, "-c", READ_COOKIE_SETTINGS],
        cwd=ROOT,
        env=production_environment() | {"DJANGO_SETTINGS_MODULE": "turvaportaal.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == {cookie: [True, True, "Lax"] for cookie in COOKIES}


@pytest.mark.django_db
def test_the_cookies_a_browser_gets_carry_those_flags(kov_a, settings):
    """The CSRF token (the sign-in form), the session (signing in) and the language (the
    switch), as a browser receives them."""
    for cookie in COOKIES:
        setattr(settings, f"{cookie}_COOKIE_SECURE", True)  # as in production
    browser = Client()
    received = {}
    for response in [
        browser.get(reverse("login")),
        browser.post(reverse("login"), {"username": kov_a.email, "password": PASSWORD}),
        browser.post(reverse("set_language"), {"language": "en", "next": "/"}),
    ]:
        received |= response.cookies
    for name in [settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME, "django_language"]:
        cookie = received[name]
        assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


def test_the_compose_file_is_valid_and_every_part_has_a_health_check(tmp_path):
    """docker-compose.yml as Compose reads it (schema, interpolation, the .env of .env.example
    with the three secrets set): the proxy, two web replicas, the worker, beat and the stores,
    each long-running part with a health check. No engine is needed to read the file."""
    compose = shutil.which("docker-compose")
    if compose is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's docker-compose to read the compose file (.ci/run).")
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    for part in ("docker-compose.yml", "Dockerfile", "deploy"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / part)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    secrets = {"POSTGRES_PASSWORD": "p", "S3_ACCESS_KEY_ID": "k", "S3_SECRET_ACCESS_KEY": "s"}

    def config(*options: str) -> str:
        result = subprocess.run(
            [compose, "config", *options],
            cwd=tmp_path,
            env=os.environ | secrets,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    services = set(config("--services").split())
    assert services == {"proxy", "web", "worker", "beat", "migrate", "db", "redis", "seaweedfs"}
    blocks = _service_blocks(config())
    assert "replicas: 2" in blocks["web"]
    for long_running in services - {"migrate", "beat"}:
        assert "healthcheck:" in blocks[long_running], long_running
    # The object store's keys are required (.env.example leaves them commented out): without
    # them Compose refuses the file instead of running it with blank keys.
    refused = subprocess.run(
        [compose, "config", "--quiet"], cwd=tmp_path, env=os.environ, capture_output=True, text=True
    )
    assert refused.returncode != 0
    assert "set S3_ACCESS_KEY_ID in .env" in refused.stderr


def _service_blocks(config: str) -> dict[str, str]:
    """Each service's lines of `docker-compose config`, by its name."""
    blocks: dict[str, list[str]] = {}
    current: list[str] = []
    in_services = False
    for line in config.splitlines():
        if not line.startswith(" "):
            in_services = line == "services:"
            current = []
        elif in_services and line.startswith("  ") and not line.startswith("   "):
            current = blocks.setdefault(line.strip().rstrip(":"), [])
        else:
            current.append(line)
    return {name: "\n".join(lines) for name, lines in blocks.items()}
