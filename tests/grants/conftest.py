from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.services import PlannedLine
from programme.models import Cohort, Participation


@pytest.fixture
def participation(db, kov_a, provider):
    today = timezone.localdate()
    participation = Participation(
        municipality=kov_a.municipality,
        cohort=Cohort.objects.create(stage=2, start_year=today.year),
        start_on=today - timedelta(days=200),
        end_on=today + timedelta(days=500),
        source=Participation.Source.SELECTION,
        service_provider=provider.service_provider,
    )
    # The whole budget in this year: the tests of a line's and the grant's limits date their
    # entries today (tests/grants/test_years.py splits a budget between years).
    participation.planned_budget = [
        PlannedLine("staff", "Koordinaator", Decimal("20000.00"), {today.year: Decimal(20000)}),
        PlannedLine("training", "Koolitused", Decimal("10000.00"), {today.year: Decimal(10000)}),
    ]
    participation.save()
    return participation


@pytest.fixture
def staff_line(participation):
    return participation.budget_lines.get(category="staff")


@pytest.fixture
def training_line(participation):
    return participation.budget_lines.get(category="training")


def expenditure_kwargs(participation, line, amount, user, **extra):
    return {
        "participation": participation,
        "budget_line": line,
        "amount": Decimal(amount),
        "entry_on": timezone.localdate(),
        "description": "Arve",
        "supplier": "Tarnija OÜ",
        "invoice_number": "A-1",
        "document": None,
        "user": user,
    } | extra
