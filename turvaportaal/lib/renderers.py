"""The form renderer: Django's, with its commonest widgets (inputs, selects, text areas) written
in Python. Django renders each widget through a template and each option of a select through
one more, which made a list page's filter of a few selects cost more than its rows. The HTML is
character for character the templates' (tests/test_renderers.py compares the two); any other
widget, or a select whose options have a template of their own, is left to the templates."""

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDGETS = "django/forms/widgets/"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"


def html_attrs(attrs: dict[str, Any]) -> SafeString:
    """attrs.html: true is a bare name, false leaves the attribute out, the order is kept."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', str(value)))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _input(widget: dict[str, Any]) -> SafeString:
    value = widget["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        "" if value is None else format_html(' value="{}"', str(value)),
        html_attrs(widget["attrs"]),
    )


def _select(widget: dict[str, Any]) -> SafeString | None:
    parts: list[str] = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', localize(group_name)))
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                format_html(
                    # The option's template ends in a new line of its own.
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    html_attrs(option["attrs"]),
                    localize(option["label"]),
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        widget["name"],
        html_attrs(widget["attrs"]),
        mark_safe("".join(parts)),
    )


def _textarea(widget: dict[str, Any]) -> SafeString:
    value = widget["value"]
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        html_attrs(widget["attrs"]),
        localize(value) if value else "",
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
