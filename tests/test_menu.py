"""The main menu offers each person the pages of their role, and marks the page being shown."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from programme.models import County
from tests.factories import UserFactory
from tests.learning.conftest import participate

pytestmark = pytest.mark.django_db

PROGRAMME_WIDE = [
    "call_list",
    "application_list",
    "plan_list",
    "ledger_overview",
    "participation_list",
    "municipality_list",
    "provider_list",
    "people",
]
IN_THE_PROGRAMME = ["session_list", "training_list", "sharing_list", "report_list"]


def menu_of(client, page: str = "dashboard") -> list[tuple[str, bool]]:
    """(address, is it marked as the current page) of each link in the main menu."""
    html = client.get(reverse(page)).content.decode()
    menu = html[html.index('<ul class="navbar-nav') : html.index("</ul>")]
    return [
        (href, current == ' aria-current="page"')
        for href, current in re.findall(
            r'class="nav-link" href="([^"]*)"( aria-current="page")?', menu
        )
    ]


def addresses(*routes: str) -> list[str]:
    return [reverse(route) for route in routes]


def test_ministry_staff_see_the_whole_programme(ministry, client_for):
    links = [href for href, _current in menu_of(client_for(ministry))]
    assert links == addresses(
        "dashboard", *PROGRAMME_WIDE, *IN_THE_PROGRAMME, "practice_list", "my_evaluations"
    )


def test_administrators_also_see_the_audit_log_and_django_admin(admin, client_for):
    links = [href for href, _current in menu_of(client_for(admin))]
    assert links == addresses(
        "dashboard", *PROGRAMME_WIDE, *IN_THE_PROGRAMME, "practice_list", "audit_log", "admin:index"
    )


def test_a_municipality_sees_its_own_page_and_the_programme_once_it_takes_part(kov_a, client_for):
    own = reverse("municipality_detail", args=[kov_a.municipality.ehak_code])
    links = [href for href, _current in menu_of(client_for(kov_a))]
    assert links == [reverse("dashboard"), own, reverse("practice_list")]
    participate(kov_a.municipality)
    links = [href for href, _current in menu_of(client_for(kov_a))]
    assert links == [reverse("dashboard"), own, *addresses(*IN_THE_PROGRAMME, "practice_list")]


def test_providers_and_county_evaluators_see_their_part(provider, client_for):
    links = [href for href, _current in menu_of(client_for(provider))]
    assert links == addresses("dashboard", *IN_THE_PROGRAMME, "practice_list")
    evaluator = UserFactory(
        role=Role.COUNTY_EVALUATOR, county=County.objects.order_by("pk").first()
    )
    links = [href for href, _current in menu_of(client_for(evaluator), "practice_list")]
    assert links == addresses("dashboard", "practice_list", "my_evaluations")


def test_the_page_being_shown_is_marked_current(ministry, client_for):
    marked = [href for href, current in menu_of(client_for(ministry), "people") if current]
    assert marked == [reverse("people")]
