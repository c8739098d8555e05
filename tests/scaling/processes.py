"""Processes of the portal as deployed, for the scaling tests: gunicorn web processes and Celery
workers (prefork), sharing the test database, a Redis database and a SeaweedFS bucket."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent


def portal_environment(broker: str, storage: dict[str, str]) -> dict[str, str]:
    """The environment of a portal process: the test database, the given Redis database as
    broker and cache, the bucket, and a lease of seconds instead of a minute."""
    db = connection.settings_dict
    return (
        os.environ
        | storage
        | {
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": broker,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DEBUG": "true",
            "REPORT_HEARTBEAT_SECONDS": str(int(settings.REPORT_HEARTBEAT.total_seconds())),
            "LOG_LEVEL": "WARNING",
        }
    )


def free_ports(count: int) -> list[int]:
    """Distinct free ports: each probe stays bound until all are chosen."""
    with ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]


def wait_for(
    condition: Callable[[], object], seconds: float, what: str, every: float = 0.1
) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(every)


def start_worker(environment: dict[str, str], name: str) -> subprocess.Popen:
    """A worker as deployed: prefork, one child, late acknowledgement; in a process group of
    its own, so that the whole worker can be killed."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "turvaportaal",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--hostname",
            f"{name}@%h",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        env=environment,
        cwd=ROOT,
        start_new_session=True,
    )


def start_web(environment: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "turvaportaal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "120",
        ],
        env=environment,
        cwd=ROOT,
        start_new_session=True,
    )


def web_is_up(address: str) -> bool:
    try:
        return requests.get(f"{address}/health/", timeout=30).status_code == 200
    except requests.RequestException:  # not listening yet, or still loading
        return False


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def kill_whole(process: subprocess.Popen) -> None:
    """SIGKILL to the worker and its children at once: the machine it ran on is gone."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def form_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "the page has no form"
    return found.group(1)
