"""The users of the load benchmarks, each signed in by a session cookie made in the database and
named in the file BENCH_LOCUST_CONFIG.

- RoleUser (benchmarks/load.py): one role's pages, now and then saving a form as it was shown
  (the whole save path: CSRF, validation, service, redirect).
- Official and MinistryStaff (benchmarks/deadline_day.py): the deadline hour of a call. Officials
  save their application's sections and upload a council decision of 5 MB; ministry staff read
  the applications coming in. Half the users go to each web process, and each works at a
  person's pace."""

import itertools
import json
import os
import random
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, task

with open(os.environ["BENCH_LOCUST_CONFIG"], encoding="utf-8") as config_file:
    CONFIG: dict[str, Any] = json.load(config_file)
NEXT_ROLE = itertools.cycle(CONFIG.get("roles", []))
NEXT_OFFICIAL = itertools.cycle(CONFIG.get("officials", []))
NEXT_STAFF = itertools.cycle(CONFIG.get("staff", []))
NEXT_HOST = itertools.cycle(CONFIG.get("hosts", [None]))


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


def page_form(page: str) -> list[tuple[str, str]]:
    """The page's own form as shown: the one with the most fields (not the language or
    sign-out form)."""
    parser = FormFields()
    parser.feed(page)
    return max(parser.forms, key=len, default=[])


class SignedIn(HttpUser):
    """A user whose session cookie is sent back even though the server's cookies are Secure:
    the server runs with production settings on plain HTTP (a browser would come through a TLS
    proxy)."""

    abstract = True

    def keep_cookies(self) -> None:
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, url: str, name: str | None = None) -> str:
        response = self.client.get(url, name=name or url)
        self.keep_cookies()
        return response.text

    def post(self, url: str, name: str, **kwargs: Any) -> None:
        self.client.post(url, headers={"Referer": f"{self.host}{url}"}, name=name, **kwargs)
        self.keep_cookies()


class RoleUser(SignedIn):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.role = next(NEXT_ROLE)
        self.client.cookies.set(self.role["cookie"], self.role["session"])

    @task(10)
    def view(self) -> None:
        self.get(random.choice(self.role["pages"]))

    @task(1)
    def save(self) -> None:
        if not self.role["saves"]:
            return
        url = random.choice(self.role["saves"])
        self.post(url, f"POST {url}", data=page_form(self.get(url)))


class DeadlineUser(SignedIn):
    """Reads a page, then spends 5 to 15 seconds reading or typing before the next: quicker
    than anyone writes an application, all 80 at once."""

    abstract = True
    wait_time = between(5, 15)
    people: "itertools.cycle[dict[str, Any]]"

    def on_start(self) -> None:
        self.person = next(self.people)
        self.host = next(NEXT_HOST) or self.host
        self.client.base_url = self.host
        self.client.cookies.set(self.person["cookie"], self.person["session"])


class Official(DeadlineUser):
    fixed_count = len(CONFIG.get("officials", []))
    people = NEXT_OFFICIAL

    @task(3)
    def task_list(self) -> None:
        self.get(self.person["task_list"], "task list")

    @task(4)
    def save_a_section(self) -> None:
        """The application form or the budget, saved with its text touched, as a person would
        type in it before pressing "Save and continue"."""
        url = random.choice(self.person["sections"])
        fields = page_form(self.get(url, "section"))
        fields = [
            (name, f"{value} Täpsustus {random.randint(1, 9999)}.")
            if name == "motivation"
            else (name, value)
            for name, value in fields
        ]
        self.post(url, "section", data=fields)

    @task(1)
    def upload_the_council_decision(self) -> None:
        url = self.person["decision"]
        fields = page_form(self.get(url, "council decision"))
        with open(CONFIG["pdf"], "rb") as pdf:
            self.post(
                url, "council decision (5 MB)", data=fields, files={"file": ("otsus.pdf", pdf)}
            )


class MinistryStaff(DeadlineUser):
    fixed_count = len(CONFIG.get("staff", []))
    people = NEXT_STAFF

    @task
    def browse(self) -> None:
        name, url = random.choice(self.person["pages"])
        self.get(url, name)
