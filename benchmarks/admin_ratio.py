"""Each list page of the portal against Django admin's changelist of the same model, with as
many rows a page, both as the administrator at N=100 times Estonia's size, in the same run: the
two pages are requested in turn, twice as often as the page benchmark asks for one page."""

from unittest import mock

from django.contrib import admin
from django.db import models
from django.urls import reverse

from accounts.models import User
from actionplans.models import ActionPlan, Indicator
from benchmarks.pages import LARGE, REPEAT, time_pages
from benchmarks.scaled import scaled_database
from benchmarks.signin import signed_in_client
from counselling.models import CounsellingSession
from learning.models import SharingEvent, Training
from practices.models import Practice
from practices.views import PRACTICES_PER_PAGE
from programme.models import Call, Municipality, Participation, ServiceProvider
from reports.models import Report
from turvaportaal.lib.paging import PER_PAGE

# (route name, model, rows a page)
LISTS: list[tuple[str, type[models.Model], int]] = [
    ("people", User, PER_PAGE),
    ("municipality_list", Municipality, PER_PAGE),
    ("participation_list", Participation, PER_PAGE),
    ("call_list", Call, PER_PAGE),
    ("provider_list", ServiceProvider, PER_PAGE),
    ("plan_list", ActionPlan, PER_PAGE),
    ("indicator_catalogue", Indicator, PER_PAGE),
    ("session_list", CounsellingSession, PER_PAGE),
    ("training_list", Training, 2 * PER_PAGE),  # a table of upcoming, one of past trainings
    ("sharing_list", SharingEvent, PER_PAGE),
    ("practice_list", Practice, PRACTICES_PER_PAGE),
    ("report_list", Report, PER_PAGE),
]


def run() -> None:
    ratios = {}
    with scaled_database(LARGE):
        client = signed_in_client(User.objects.get(email="admin@example.org"))
        for name, model, rows in LISTS:
            changelist = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
            with mock.patch.object(admin.site.get_model_admin(model), "list_per_page", rows):
                ours, theirs = time_pages(
                    client, [reverse(name), reverse(changelist)], repeat=2 * REPEAT
                )
            ratios[name] = ours.median_ms / theirs.median_ms
            print(
                f"list {name}: {ours.median_ms:.1f} ms, {ours.queries} queries; admin "
                f"{theirs.median_ms:.1f} ms, {theirs.queries} queries; ratio {ratios[name]:.2f}"
            )
    print(f"bench list_vs_admin_ratio_max {max(ratios.values()):.2f} ratio")
