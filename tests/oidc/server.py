"""The OpenID Connect provider of the tests: oidc-provider (npm) set up as TARA in provider.js,
run with Node on a free port of 127.0.0.1, and a person's walk through its sign-in page."""

import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

HERE = Path(__file__).resolve().parent
CLIENT_ID = "turvaportaal"
START_TIMEOUT_SECONDS = 15


def install() -> None:
    """node_modules from package-lock.json, unless installed already (`make test` does it too)."""
    if (HERE / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("Node.js and npm are needed for the eID tests (apt-get install nodejs)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Provider:
    redirect_uri: str
    port: int = field(default_factory=_free_port)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    process: subprocess.Popen[str] | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Provider":
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("Node.js is needed for the eID tests (apt-get install nodejs)")
        self.process = subprocess.Popen(
            [node, "provider.js", str(self.port), CLIENT_ID, self.secret, self.redirect_uri],
            cwd=HERE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("listening"):
            self.stop()
            raise RuntimeError(f"the OpenID Connect provider did not start: {line!r}")
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=START_TIMEOUT_SECONDS)
            self.process = None

    def restart(self) -> None:
        """Start again on the same port: new signing keys, as when TARA rotates them."""
        self.stop()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                self.start()
                return
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def settings(self) -> dict[str, Any]:
        """The portal's settings for this provider."""
        return {
            "TARA_ISSUER": self.issuer,
            "TARA_CLIENT_ID": CLIENT_ID,
            "TARA_CLIENT_SECRET": self.secret,
            "TARA_REDIRECT_URI": self.redirect_uri,
        }

    def authenticate(
        self,
        authorize_url: str,
        *,
        personal_code: str,
        given_name: str = "",
        family_name: str = "",
        means: str = "mID",
        acr: str = "high",
        tamper: str = "as issued",
    ) -> str:
        """Walk the provider's pages as the person would, without a browser; the address TARA
        sends the browser back to (the portal's callback with code and state)."""
        with requests.Session() as browser:
            page = browser.get(authorize_url, timeout=10)
            page.raise_for_status()
            answer = browser.post(
                page.url,
                data={
                    "personal_code": personal_code,
                    "given_name": given_name,
                    "family_name": family_name,
                    "date_of_birth": "1980-01-08",
                    "means": means,
                    "acr": acr,
                    "tamper": tamper,
                },
                allow_redirects=False,
                timeout=10,
            )
            while not answer.headers["Location"].startswith(self.redirect_uri):
                location = urljoin(answer.url, answer.headers["Location"])
                answer = browser.get(location, allow_redirects=False, timeout=10)
            return str(answer.headers["Location"])


class Providers:
    """The providers of a test session, one per redirect URI, stopped at its end."""

    def __init__(self) -> None:
        self.started: dict[str, Provider] = {}
        install()

    def for_redirect_uri(self, redirect_uri: str) -> Provider:
        if redirect_uri not in self.started:
            self.started[redirect_uri] = Provider(redirect_uri).start()
        return self.started[redirect_uri]

    def stop_all(self) -> None:
        for provider in self.started.values():
            provider.stop()
