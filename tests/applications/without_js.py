"""Pressing a page's button as a browser without JavaScript does: the plain form's own fields
(hidden ones too) and the button, posted to the form's action."""

from typing import Any

from django.test import Client

from tests.test_malformed_input import FormParser


class ChosenParser(FormParser):
    """The forms of a page, and the option each select has chosen."""

    def __init__(self, page_url: str) -> None:
        super().__init__(page_url)
        self.chosen: dict[tuple[int, str], str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if tag == "option" and self.form is not None and self.select and "selected" in dict(attrs):
            self.chosen[id(self.form), self.select] = dict(attrs).get("value") or ""


def _parsed(response: Any) -> ChosenParser:
    parser = ChosenParser(response.wsgi_request.path)
    parser.feed(response.content.decode())
    return parser


def post_forms(response: Any, action: str) -> list[Any]:
    """The page's POST forms whose action is ``action``."""
    return [form for form in _parsed(response).forms if form.action == action]


def press(client: Client, response: Any, action: str, button: str = "", **typed: str) -> Any:
    """Submit the page's form to ``action`` (the one with ``button``, if named) with what the
    person typed into its fields."""
    parser = _parsed(response)
    [form] = [
        form
        for form in parser.forms
        if form.action == action and (not button or button in dict(form.buttons))
    ]
    data = {
        name: parser.chosen.get((id(form), name), values[0] if values else "")
        for name, values in form.fields.items()
    }
    assert set(typed) <= set(data), f"no such field on the page: {set(typed) - set(data)}"
    data |= typed
    if button:
        data[button] = dict(form.buttons)[button]
    return client.post(action, data)
