"""Load at N=100 times Estonia's size: gunicorn with 3 sync workers on 127.0.0.1, locust for
60 s with the roles' page views and saves, and wrk with 4 connections on the heaviest list page.

The server runs with production settings (DEBUG off, static files collected and compressed),
but plain HTTP: there is no TLS proxy on 127.0.0.1. The load users send the Secure cookies
back all the same (locustfile.SignedIn.keep_cookies)."""

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection
from django.urls import reverse

from accounts.models import User
from benchmarks.admin_ratio import LISTS
from benchmarks.pages import LARGE, ROLES, pages_of, time_page
from benchmarks.scaled import scaled_database
from benchmarks.signin import session_cookie, signed_in_client
from tests.scaling.processes import free_ports

BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
LOCUST_USERS = int(os.environ.get("BENCH_LOCUST_USERS", "12"))
# Forms each role saves unchanged under load (route names; their object is the role's own).
SAVES = {
    "municipality": ["plan_text"],
    "ministry": ["indicator_edit", "call_edit"],
    "provider": ["session_edit"],
}


def database_url(name: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{name}"
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(150):
        if server.poll() is not None:
            raise RuntimeError("gunicorn did not start")
        try:
            with urllib.request.urlopen(f"{base}/health/", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def _roles() -> tuple[list[dict[str, Any]], str, tuple[str, str]]:
    """Each role's cookie, pages and saves; the heaviest list page and a ministry cookie."""
    config = []
    for role, email in ROLES.items():
        if role == "admin":
            continue  # the administrator's pages are the ministry's
        user = User.objects.get(email=email)
        pages, _left_out = pages_of(user)
        name, value = session_cookie(user)
        config.append(
            {
                "role": role,
                "cookie": name,
                "session": value,
                "pages": list(pages.values()),
                "saves": [pages[n] for n in SAVES.get(role, []) if n in pages],
            }
        )
    ministry = User.objects.get(email=ROLES["ministry"])
    client = signed_in_client(ministry)
    lists = {reverse(name): time_page(client, reverse(name), 5).median_ms for name, _m, _r in LISTS}
    heaviest = max(lists, key=lambda url: lists[url])
    return config, heaviest, session_cookie(ministry)


def run_locust(
    hosts: list[str],
    config: dict[str, Any],
    user_classes: list[str],
    users: int,
    seconds: int,
    spawn_rate: int | None = None,
) -> dict[str, str]:
    """Locust headless against the hosts with the users named; the summary row of all
    requests, each failing request's count printed (and with BENCH_LOAD_DETAIL=1 each request's
    95th percentile and median). Users who arrive at a spawn rate are
    measured from when all have arrived (on servers warmed by their arrival)."""
    with tempfile.TemporaryDirectory() as workdir:
        config_file = Path(workdir) / "config.json"
        config_file.write_text(json.dumps(config | {"hosts": hosts}))
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(spawn_rate or users),
                *(["--reset-stats"] if spawn_rate else []),
                "--run-time",
                f"{seconds}s",
                "--host",
                hosts[0],
                "--csv",
                str(Path(workdir) / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
                *user_classes,
            ],
            env=os.environ | {"BENCH_LOCUST_CONFIG": str(config_file)},
            check=False,
            capture_output=True,
        )
        with (Path(workdir) / "load_stats.csv").open(encoding="utf-8") as stats:
            rows = list(csv.DictReader(stats))
    for row in rows:
        if row["Name"] != "Aggregated" and int(row["Failure Count"]):
            print(f"load errors: {row['Failure Count']} on {row['Type']} {row['Name']}")
        if os.environ.get("BENCH_LOAD_DETAIL"):
            print(f"load p95 {row['95%']} ms, median {row['50%']} ms: {row['Type']} {row['Name']}")
    return next(row for row in rows if row["Name"] == "Aggregated")


def _wrk(url: str, cookie: tuple[str, str]) -> float:
    result = subprocess.run(
        ["wrk", "-t2", "-c4", "-d20s", "-H", f"Cookie: {cookie[0]}={cookie[1]}", url],
        check=True,
        capture_output=True,
        text=True,
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if non_2xx:
        print(f"list wrk: {non_2xx.group(1)} responses not 2xx/3xx")
    found = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    return float(found.group(1)) if found else 0.0


@contextmanager
def web_processes(database: str, count: int, environment: dict[str, str]) -> Iterator[list[str]]:
    """Gunicorn web processes as the Dockerfile runs them (3 sync workers each) on free ports,
    with production settings on this database; their addresses."""
    connection.close()  # the servers' workers have the database to themselves
    ports = free_ports(count)
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    with tempfile.TemporaryDirectory() as static_root:
        env = (
            os.environ
            | {
                "DATABASE_URL": database_url(database),
                "DEBUG": "false",
                # The sessions the benchmarks make are signed with this process's key.
                "SECRET_KEY": settings.SECRET_KEY,
                "ALLOWED_HOSTS": "127.0.0.1",
                "SITE_URL": bases[0],
                "SECURE_SSL_REDIRECT": "false",
                # Collected apart: the checkout's staticfiles/ may be in use by a test run.
                "STATIC_ROOT": static_root,
            }
            | environment
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        servers = [
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "turvaportaal.wsgi:application",
                    "--workers",
                    "3",
                    "--worker-class",
                    "sync",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--log-level",
                    "warning",
                ],
                cwd=settings.BASE_DIR,
                env=env,
            )
            for port in ports
        ]
        try:
            for base, server in zip(bases, servers, strict=True):
                wait_until_up(base, server)
            yield bases
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=30)


def run() -> None:
    with scaled_database(LARGE) as name:
        config, heaviest, ministry_cookie = _roles()
        with web_processes(name, 1, {}) as [base]:
            stats = run_locust([base], {"roles": config}, ["RoleUser"], LOCUST_USERS, SECONDS)
            rps = _wrk(base + heaviest, ministry_cookie)
    print(f"list heaviest page: {heaviest}")
    print(f"bench load_rps {float(stats['Requests/s']):.1f} req/s")
    print(f"bench load_p95_ms {float(stats['95%']):.0f} ms")
    print(f"bench load_errors {stats['Failure Count']} errors")
    print(f"bench list_rps {rps:.1f} req/s")
