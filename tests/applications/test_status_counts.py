"""The applications counted by status: one per application, however many rows a join adds
(budget lines, evaluators), checked against the table counted in plain SQL."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from applications.models import Application, BudgetLine, Status
from programme.models import Municipality
from tests.factories import ApplicationFactory, CallFactory, complete_application

pytestmark = pytest.mark.django_db

SUBMITTED = ["Rapla vald", "Keila linn", "Narva linn", "Elva vald"]


def with_budget(application: Application) -> Application:
    """A complete application with three budget lines: a join on them triples its row."""
    complete_application(application)
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, category=category, description=text, amount=amount)
        for category, text, amount in [
            ("training", "Koolitused", Decimal("8000.00")),
            ("communication", "Teavitus", Decimal("2000.00")),
        ]
    )
    return application


@pytest.fixture
def call():
    call = CallFactory(title="II etapp")
    for name in SUBMITTED:
        with_budget(ApplicationFactory(call=call, municipality=Municipality.objects.get(name=name)))
    Application.objects.filter(call=call).update(status=Status.SUBMITTED)
    for name in ["Tallinn", "Tartu linn"]:  # drafts, with their budgets too
        with_budget(ApplicationFactory(call=call, municipality=Municipality.objects.get(name=name)))
    # Another call's application, which the call's filter leaves out.
    other = with_budget(ApplicationFactory(call=CallFactory(title="Muu voor")))
    Application.objects.filter(pk=other.pk).update(status=Status.SUBMITTED)
    return call


def counted_in_sql(call_id: int | None = None) -> dict[str, int]:
    """Applications by status straight from the table, with no join."""
    sql = "SELECT status, COUNT(*) FROM applications_application"
    params = []
    if call_id is not None:
        sql += " WHERE call_id = %s"
        params.append(call_id)
    with connection.cursor() as cursor:
        cursor.execute(sql + " GROUP BY status", params)
        counts = dict(cursor.fetchall())
    return {status.value: counts.get(status.value, 0) for status in Status}


def rendered_counts(response) -> dict[str, int]:
    """The counts the page prints above its table, by the status's English label."""
    page = response.content.decode()
    found = re.findall(r'<li class="list-inline-item me-3">([^<:]+): <strong>(\d+)</strong>', page)
    return {label: int(count) for label, count in found}


def by_label(counts: dict[str, int]) -> dict[str, int]:
    return {str(status.label).capitalize(): counts[status.value] for status in Status}


def test_the_count_is_one_per_application_whatever_the_joins(call):
    expected = counted_in_sql(call.pk)
    assert expected[Status.SUBMITTED] == 4 and expected[Status.DRAFT] == 2
    labels = {str(status.label): status.value for status in Status}
    for queryset in [
        Application.objects.filter(call=call).with_budget_total(),
        Application.objects.filter(call=call, budget_lines__amount__gt=0),
        Application.objects.filter(call=call, budget_lines__amount__gt=0).distinct(),
    ]:
        counts = {labels[label]: n for label, n in queryset.count_by_status()}
        assert counts == expected


def test_the_list_page_prints_the_counts_of_the_table(client_for, ministry, call):
    client = client_for(ministry, "en")
    response = client.get(reverse("application_list"), {"call": call.pk})
    assert rendered_counts(response) == by_label(counted_in_sql(call.pk))
    assert rendered_counts(response)["Submitted"] == 4
    # With no filter: every call's applications, still one each.
    assert rendered_counts(client.get(reverse("application_list"))) == by_label(counted_in_sql())


def test_after_the_selection_the_pages_count_the_decided_applications_once(
    client_for, ministry, call
):
    submitted = list(Application.objects.filter(call=call, status=Status.SUBMITTED))
    Application.objects.filter(pk=submitted[0].pk).update(status=Status.SELECTED)
    Application.objects.filter(pk__in=[a.pk for a in submitted[1:]]).update(
        status=Status.NOT_SELECTED
    )
    client = client_for(ministry, "en")
    listing = rendered_counts(client.get(reverse("application_list"), {"call": call.pk}))
    overview = rendered_counts(client.get(reverse("call_overview", args=[call.pk])))
    expected = by_label(counted_in_sql(call.pk))
    assert listing == overview == expected
    assert (expected["Selected"], expected["Not selected"]) == (1, 3)
    # A status filter keeps the other statuses at zero and this one exact.
    filtered = rendered_counts(
        client.get(reverse("application_list"), {"call": call.pk, "status": "not_selected"})
    )
    assert filtered == {**dict.fromkeys(expected, 0), "Not selected": 3}
