"""The load test's users: each signs in as one role (a session cookie made by benchmarks/load.py,
named in the file BENCH_LOCUST_CONFIG) and opens that role's pages, now and then saving a
form as it was shown (the whole save path: CSRF, validation, service, redirect)."""

import itertools
import json
import os
import random
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, task

with open(os.environ["BENCH_LOCUST_CONFIG"], encoding="utf-8") as config_file:
    ROLES: list[dict[str, Any]] = json.load(config_file)
NEXT_ROLE = itertools.cycle(ROLES)


class FormFields(HTMLParser):
    """The fields of each form on a page, with the values shown."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False
        self._multiple = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append([])
        elif not self.forms or "name" not in a and tag != "option":
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1].append((a["name"], a.get("value", "on" if a.get("type") else "")))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1].append((a["name"], ""))
        elif tag == "select":
            self._select, self._first_option, self._selected = a["name"], None, False
            self._multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.forms[-1].append((self._select, a.get("value", "")))
                self._selected = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if not self._selected and not self._multiple:
                self.forms[-1].append((self._select, self._first_option or ""))
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self.forms:
            name, value = self.forms[-1][-1]
            self.forms[-1][-1] = (name, value + data)


class RoleUser(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.role = next(NEXT_ROLE)
        self.client.cookies.set(self.role["cookie"], self.role["session"])

    @task(10)
    def view(self) -> None:
        url = random.choice(self.role["pages"])
        self.client.get(url, name=url)
        self._keep_cookies()

    @task(1)
    def save(self) -> None:
        if not self.role["saves"]:
            return
        url = random.choice(self.role["saves"])
        page = self.client.get(url, name=url)
        self._keep_cookies()
        parser = FormFields()
        parser.feed(page.text)
        # The page's own form: the one with the most fields (not the language or sign-out form).
        fields = max(parser.forms, key=len, default=[])
        self.client.post(url, data=fields, headers={"Referer": self.host + url}, name=f"POST {url}")
        self._keep_cookies()

    def _keep_cookies(self) -> None:
        """The server runs with production settings on plain HTTP (a browser would come through
        a TLS proxy): its Secure cookies are sent back all the same."""
        for cookie in self.client.cookies:
            cookie.secure = False
