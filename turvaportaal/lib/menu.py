"""The main menu: which pages each person is offered, in one list. It is on every page, so it is
written in Python (the template's seventeen links, each with its tests, cost most of the layout's
time) and the links' addresses are found once."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django import template
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import User

register = template.Library()

CURRENT = mark_safe(' aria-current="page"')


def _programme_wide(user: User) -> bool:
    return user.has_programme_wide_access


def _in_the_programme(user: User) -> bool:
    """Ministry staff, providers, and a municipality that takes part: counselling, trainings,
    experience sharing and reports are the programme's."""
    return (
        user.has_programme_wide_access
        or user.service_provider_id is not None
        or (user.municipality is not None and hasattr(user.municipality, "participation"))
    )


def _everyone(user: User) -> bool:
    return True


def _own_municipality(user: User) -> bool:
    return not user.has_programme_wide_access and user.municipality is not None


@dataclass(frozen=True)
class Entry:
    route: str
    label: Promise | Callable[[User], object]
    shown_to: Callable[[User], bool]
    args: Callable[[User], tuple[str, ...]] | None = None


ENTRIES = [
    Entry("dashboard", _("Dashboard"), _everyone),
    Entry("call_list", _("Calls"), _programme_wide),
    Entry("application_list", _("Applications"), _programme_wide),
    Entry("plan_list", _("Action plans"), _programme_wide),
    Entry("ledger_overview", _("Grants"), _programme_wide),
    Entry("participation_list", _("Participations"), _programme_wide),
    Entry("municipality_list", _("Municipalities"), _programme_wide),
    Entry("provider_list", _("Service providers"), _programme_wide),
    Entry("people", _("People"), _programme_wide),
    Entry(
        "municipality_detail",
        lambda user: user.municipality,
        _own_municipality,
        args=lambda user: (user.municipality.ehak_code,),  # type: ignore[union-attr]
    ),
    Entry("session_list", _("Counselling"), _in_the_programme),
    Entry("training_list", _("Trainings"), _in_the_programme),
    Entry("sharing_list", _("Experience sharing"), _in_the_programme),
    Entry("report_list", _("Reports"), _in_the_programme),
    Entry("practice_list", _("Good practice"), _everyone),
    Entry("my_evaluations", _("My evaluations"), lambda user: user.is_evaluator),
    Entry("audit_log", _("Audit log"), lambda user: user.is_staff),
    Entry("admin:index", _("Administration"), lambda user: user.is_staff),
]


@cache
def _address(route: str, script_prefix: str) -> str:
    """A page without parameters has one address: found once (for each script prefix)."""
    return reverse(route)


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> SafeString:
    """The menu's links for the signed-in person, the page being shown marked as current."""
    request: HttpRequest = context["request"]
    user = request.user
    assert isinstance(user, User)
    links = []
    for entry in ENTRIES:
        if not entry.shown_to(user):
            continue
        if entry.args is None:
            url = _address(entry.route, get_script_prefix())
        else:
            url = reverse(entry.route, args=entry.args(user))
        label = entry.label if isinstance(entry.label, Promise) else entry.label(user)
        links.append(
            format_html(
                '<li class="nav-item"><a class="nav-link" href="{}"{}>{}</a></li>',
                url,
                CURRENT if url == request.path else "",
                label,
            )
        )
    return mark_safe("".join(links))
