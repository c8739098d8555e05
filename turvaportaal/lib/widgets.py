"""Dates typed as the page's language writes them, and choices among lists that grow with the
programme (the municipalities, the participations): SearchSelect carries only the chosen rows
and finds others on the server. Selects of some hundreds of options are plain Selects."""

from typing import Any

from django import forms
from django.forms import widgets
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from turvaportaal.lib.ids import posted_id


def format_hint(format_key: str) -> str:
    """The first input format of the page's language in letters, e.g. pp.kk.aaaa."""
    letters = {
        "%d": pgettext("date format: day", "dd"),
        "%m": pgettext("date format: month", "mm"),
        "%Y": pgettext("date format: year", "yyyy"),
        "%H": pgettext("time format: hour", "hh"),
        "%M": pgettext("time format: minute", "mm"),
        "%S": pgettext("time format: second", "ss"),
    }
    hint = str(formats.get_format(format_key)[0])
    for directive, letter in letters.items():
        hint = hint.replace(directive, letter)
    return hint


class _TypedDate(widgets.DateTimeBaseInput):
    """A text box, not the browser's date picker: the picker writes dates as the browser's
    language does (often English here, month first), the page as its own (01.06.2025 in
    Estonian, turvaportaal/formats). The placeholder says the format."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> Any:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", format_hint(self.format_key))
        return context


class DateInput(_TypedDate, forms.DateInput):
    pass


class DateTimeInput(_TypedDate, forms.DateTimeInput):
    """Read as Estonian time."""


class SearchSelect(forms.Select):
    """A choice among more rows than a page can list: the page carries only the chosen rows,
    and static/js/search-select.js adds others found by name at the route ``search_url``
    (answered by turvaportaal.lib.search.found_rows). The form's field still decides what
    may be chosen.

    The chosen rows are check boxes, so that taking one off is unchecking it; a single choice
    keeps one. The field's own label names the search box."""

    def __init__(self, search_url: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.search_url = search_url

    def chosen(self, values: list[str]) -> list[tuple[str, str]]:
        """(value, label) of the chosen rows, from one query for just those rows."""
        ids = [pk for pk in map(posted_id, values) if pk is not None]
        if not ids:
            return []
        choices: Any = self.choices  # a ModelChoiceIterator: the field's queryset and labels
        return [
            (str(choices.field.prepare_value(row)), choices.field.label_from_instance(row))
            for row in choices.queryset.filter(pk__in=ids)
        ]

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        box = self.build_attrs(self.attrs, attrs)
        # The search box is never required itself: the chosen boxes carry the value.
        box.pop("required", None)
        box["class"] = (
            "form-control is-invalid" if "is-invalid" in box.get("class", "") else "form-control"
        )
        id_ = box.get("id", name)
        chosen = format_html_join(
            "",
            '<div class="form-check"><input class="form-check-input" type="checkbox" name="{}"'
            ' value="{}" id="{}_{}" checked><label class="form-check-label" for="{}_{}">{}</label>'
            "</div>",
            (
                (name, pk, id_, pk, id_, pk, label)
                for pk, label in self.chosen(self.format_value(value))
            ),
        )
        return format_html(
            '<div class="search-select" data-search-select="{}" data-name="{}"{}>'
            "<div data-search-chosen>{}</div>"
            '<input type="search" autocomplete="off" placeholder="{}" data-search-input{}>'
            '<p class="form-text mb-1" aria-live="polite" data-search-status'
            ' data-none="{}" data-found="{}" data-more="{}"></p>'
            '<div class="list-group" data-search-results></div></div>',
            reverse(self.search_url),
            name,
            mark_safe(" data-multiple") if self.allow_multiple_selected else "",
            chosen,
            _("Type two or more letters of the name"),
            flatatt(box),
            _("Nothing found."),
            _("Found: choose one to add."),
            _("More are found than shown: type more of the name."),
        )

    def format_value(self, value: Any) -> list[str]:
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(item) for item in values if item not in (None, "")]


class SearchSelectMultiple(SearchSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)  # type: ignore[arg-type]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        # Nothing checked sends nothing: an empty choice, not a field left out.
        return False
