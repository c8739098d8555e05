"""``{% information_requests thing %}``: the request open on an object, shown prominently with
who must answer and since when, the object's earlier questions and answers, and the way to ask
one where the rule allows; ``{% information_request_row thing %}`` says the same in a table's row.

A page that lists many objects fetches their requests with them
(``prefetch_related("information_requests__municipality")``): each row then reads its own."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from applications.models import Section
from inquiries.models import Subject, requests_about, subject_of
from turvaportaal.lib.rules import ask

register = template.Library()


def _shown(context: template.Context, thing: Any) -> dict[str, Any]:
    requests = requests_about(thing)
    subject = subject_of(thing)
    return {
        "request": context["request"],
        "user": context["request"].user,
        "thing": thing,
        "subject": subject.value,
        "open_request": next((found for found in requests if found.is_open), None),
        "history": [found for found in requests if not found.is_open],
    }


def _drawn(name: str, shown: dict[str, Any]) -> str:
    """The template's HTML without the blank lines around it: a row's cell keeps only its text
    where there is nothing to say."""
    return mark_safe(render_to_string(name, shown).strip())


@register.simple_tag(takes_context=True)
def information_requests(context: template.Context, thing: Any) -> str:
    shown = _shown(context, thing)
    open_request = shown["open_request"]
    if open_request is not None and shown["subject"] == Subject.APPLICATION:
        user = shown["user"]
        # The parts that may change, each a link for who may change it now.
        shown["sections"] = [
            (
                Section(value).label,
                reverse(f"application_{value}", args=[thing.pk])
                if ask("applications.edit", user, thing, value)
                else "",
            )
            for value in open_request.sections
            if value in Section.values
        ]
    return _drawn("inquiries/_panel.html", shown)


@register.simple_tag(takes_context=True)
def information_request_row(context: template.Context, thing: Any) -> str:
    return _drawn("inquiries/_row.html", _shown(context, thing))
