"""A refused form opens with its error summary (templates/includes/error_summary.html).

Each form of the URL matrix's data set is sent with its fields emptied, by a persona who may send
it; where the page comes back with errors, it must open with the summary, and the summary must
link each field error to an input of the page. Forms that an empty answer does not refuse get
a value that is wrong on purpose (CASES)."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.urls import reverse

from tests.test_url_matrix import (
    POST_ONLY,
    PUBLIC,
    ROUTE_NAMES,
    post_and_undo,
    signed_in,
    url_of,
)
from tests.test_url_matrix import world as world  # the URL matrix's data set
from tests.test_url_matrix import world_of_the_module as world_of_the_module

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"


@dataclass
class Form:
    action: str
    hidden: dict[str, str] = field(default_factory=dict)  # sent as the page has them
    visible: list[str] = field(default_factory=list)  # sent empty
    button: tuple[str, str] | None = None  # the first submit button


class Forms(HTMLParser):
    """The POST forms of a page's main content that have fields a person fills in."""

    def __init__(self, url: str, html: str) -> None:
        super().__init__()
        self.url = url
        self.found: list[Form] = []
        self.form: Form | None = None
        self.in_template = 0  # a formset's row to copy is no field of the form
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "template":
            self.in_template += 1
        if tag == "form" and a.get("method", "").lower() == "post":
            self.form = Form(urlsplit(a.get("action") or self.url).path)
            self.found.append(self.form)
        if self.form is None or self.in_template or not a.get("name"):
            return
        kind = a.get("type", "text").lower()
        if tag == "button" or kind == "submit":
            self.form.button = self.form.button or (a["name"], a.get("value", ""))
        elif tag == "input" and kind == "hidden":
            self.form.hidden[a["name"]] = a.get("value", "")
        elif tag in ("input", "select", "textarea"):
            self.form.visible.append(a["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.in_template -= 1
        elif tag == "form":
            self.form = None

    def with_fields(self) -> list[Form]:
        return [form for form in self.found if form.visible]


# Routes and the persona who may send their forms; the logout and language forms of every page
# are left out (no fields a person fills in).
PERSONAS = {
    ANONYMOUS: [name for name, status in PUBLIC.items() if status == 200],
    "kov_a": [name for name in ROUTE_NAMES if name not in POST_ONLY],
    "provider": [name for name in ROUTE_NAMES if name not in POST_ONLY],
    "ministry": [name for name in ROUTE_NAMES if name not in POST_ONLY],
}
SKIPPED = {"set_language", "logout"}

# Values wrong on purpose, for forms that take an empty answer (a draft, say): by the route
# the form posts to.
WRONG = {
    "application_form": {"contact_email": "not an address", "team-0-name": ""},
    "ledger_expenditure": {"amount": "-5"},
    "plan_goals": {"goals-0-title": "x" * 301},  # the plan has no goals yet: one too long
}

# The representative forms that must come back refused with a summary: (page, persona, the
# route the form posts to).
CASES = [
    ("login", ANONYMOUS, "login"),
    ("invitation_accept", ANONYMOUS, "invitation_accept"),
    ("invite", "ministry", "invite"),
    ("application_form", "kov_a", "application_form"),
    ("ledger", "kov_a", "ledger_expenditure"),
    ("session_create", "provider", "session_create"),
    ("practice_create", "kov_a", "practice_create"),
    ("training_create", "provider", "training_create"),
    ("plan_goals", "kov_a", "plan_goals"),
    ("call_create", "ministry", "call_create"),
]

SUMMARY = re.compile(r"<div ([^>]*data-error-summary[^>]*)>(.*?)</div>", re.DOTALL)
LINK = re.compile(r'<a class="alert-link" href="#([^"]+)"')
FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\sid="([^"]+)"')


def client_for(world: SimpleNamespace, persona: str) -> Client:
    if persona == ANONYMOUS:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client
    return signed_in(world.users[persona])


def route_of(world: SimpleNamespace, path: str) -> str | None:
    return next((name for name in ROUTE_NAMES if url_of(world, name) == path), None)


def send(client: Client, world: SimpleNamespace, form: Form) -> Any:
    data: dict[str, Any] = dict(form.hidden) | dict.fromkeys(form.visible, "")
    data |= WRONG.get(route_of(world, form.action) or "", {})
    if form.button and form.button[0]:
        data[form.button[0]] = form.button[1]
    return post_and_undo(client, form.action, data)


def refused(response: Any) -> list[BaseForm | BaseFormSet]:
    """The bound forms and formsets of the page's context that have errors."""
    if response.status_code != 200 or response.context is None:
        return []
    things: dict[int, Any] = {}
    for context in response.context:
        for layer in context.dicts:
            for value in layer.values():
                if isinstance(value, (BaseForm, BaseFormSet)) and value.is_bound:
                    things[id(value)] = value
    rows = {
        id(form) for thing in things.values() if isinstance(thing, BaseFormSet) for form in thing
    }
    return [
        thing for key, thing in things.items() if key not in rows and not thing.is_valid()
    ]  # a formset's row, met again as the row template's form, counts once


def field_ids(thing: BaseForm | BaseFormSet) -> list[str]:
    """The ids of the inputs of each visible field with an error (the first box of a list)."""
    if isinstance(thing, BaseFormSet):
        return [found for form in thing.forms for found in field_ids(form)]
    ids = []
    for bound in thing.visible_fields():
        for _message in bound.errors:
            subwidgets = bound.subwidgets
            ids.append(bound.id_for_label or (subwidgets and subwidgets[0].id_for_label) or "")
    return ids


def assert_summarised(page: str, things: list[Any], what: str) -> list[str]:
    found = SUMMARY.search(page)
    assert found, f"{what}: refused without an error summary"
    attrs, summary = found.groups()
    assert 'role="alert"' in attrs and 'tabindex="-1"' in attrs, what
    assert page.count("data-error-summary") == 1, f"{what}: more than one summary"
    links = LINK.findall(summary)
    fields = set(FIELD.findall(page))
    missing = [target for target in links if target not in fields]
    assert not missing, f"{what}: the summary links to inputs the page does not have: {missing}"
    expected = [target for thing in things for target in field_ids(thing)]
    # A field the page draws under an id of its own is linked by that id: counted below.
    unlinked = [target for target in expected if target in fields and target not in links]
    assert not unlinked, f"{what}: field errors without a link in the summary: {unlinked}"
    assert len(links) >= len(expected), f"{what}: {len(expected)} errors, {len(links)} links"
    return links


@pytest.mark.parametrize(("page", "persona", "posts_to"), CASES)
def test_a_refused_form_opens_with_a_link_to_each_field_in_error(world, page, persona, posts_to):
    client = client_for(world, persona)
    url = url_of(world, page)
    response = client.get(url)
    assert response.status_code == 200
    assert "data-error-summary" not in response.content.decode(), "a summary before sending"
    target = url_of(world, posts_to)
    form = next(
        f for f in Forms(url, response.content.decode()).with_fields() if f.action == target
    )
    refusal = send(client, world, form)
    things = refused(refusal)
    assert things, f"{page}: the empty form was not refused ({refusal.status_code})"
    links = assert_summarised(refusal.content.decode(), things, page)
    assert links, f"{page}: no field is linked"


def test_every_form_of_the_portal_refused_opens_with_its_summary(world):
    summarised: set[str] = set()
    for persona, routes in PERSONAS.items():
        client = client_for(world, persona)
        for name in routes:
            if name in SKIPPED:
                continue
            url = reverse(name, kwargs=world.kwargs.get(name, {}))
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            for form in Forms(url, response.content.decode()).with_fields():
                if route_of(world, form.action) in SKIPPED:
                    continue
                refusal = send(client, world, form)
                if things := refused(refusal):
                    what = f"{name} as {persona}, form to {form.action}"
                    assert_summarised(refusal.content.decode(), things, what)
                    summarised.add(name)
    assert {page for page, _persona, _posts_to in CASES} <= summarised
    assert len(summarised) > 20, sorted(summarised)


def test_a_formsets_rows_are_linked_by_their_number(world):
    client = signed_in(world.users["kov_a"])
    url = url_of(world, "plan_goals")
    form = next(iter(Forms(url, client.get(url).content.decode()).with_fields()))
    page = send(client, world, form).content.decode()
    summary = SUMMARY.search(page)
    assert summary, "the goals were not refused"
    assert re.search(r'href="#id_[\w-]*0-title">Goal \(row 1\): ', summary.group(2))
