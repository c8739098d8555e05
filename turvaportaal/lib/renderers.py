"""The form renderer: Django's, with its commonest widgets (inputs, selects, text areas) written
in Python. Django renders each widget through a template and each option of a select through
one more, which made a list page's filter of a few selects cost more than its rows. The HTML is
character for character the templates' (tests/test_renderers.py compares the two); any other
widget, or a select whose options have a template of their own, is left to the templates."""

import html
from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

WIDGETS = "django/forms/widgets/"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"


def _escaped(value: Any) -> str:
    """As the templates print a value: safe text as it is, anything else escaped."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def html_attrs(attrs: dict[str, Any]) -> SafeString:
    """attrs.html: true is a bare name, false leaves the attribute out, the order is kept."""
    return mark_safe(
        "".join(
            f" {_escaped(name)}" if value is True else f' {_escaped(name)}="{_escaped(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


def _input(widget: dict[str, Any]) -> SafeString:
    value = widget["value"]
    shown = "" if value is None else f' value="{_escaped(value)}"'
    return mark_safe(
        f'<input type="{_escaped(widget["type"])}" name="{_escaped(widget["name"])}"{shown}'
        f"{html_attrs(widget['attrs'])}>"
    )


def _select(widget: dict[str, Any]) -> SafeString | None:
    parts = [f'<select name="{_escaped(widget["name"])}"{html_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escaped(localize(group_name))}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            # The option's template ends in a new line of its own.
            parts.append(
                f'\n  <option value="{_escaped(option["value"])}"{html_attrs(option["attrs"])}>'
                f"{_escaped(localize(option['label']))}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


def _textarea(widget: dict[str, Any]) -> SafeString:
    value = widget["value"]
    return mark_safe(
        f'<textarea name="{_escaped(widget["name"])}"{html_attrs(widget["attrs"])}>\n'
        f"{_escaped(localize(value)) if value else ''}</textarea>"
    )


INPUTS = [
    "checkbox", "color", "date", "datetime", "email", "file", "hidden", "input",
    "number", "password", "search", "tel", "text", "time", "url",
]  # fmt: skip
IN_PYTHON: dict[str, Callable[[dict[str, Any]], SafeString | None]] = {
    **{f"{WIDGETS}{name}.html": _input for name in INPUTS},
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}textarea.html": _textarea,
}


class FormRenderer(DjangoTemplates):
    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        write = IN_PYTHON.get(template_name)
        html = write(context["widget"]) if write is not None else None
        return html if html is not None else super().render(template_name, context, request)
