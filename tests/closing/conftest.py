from datetime import date
from decimal import Decimal

import pytest

from actionplans.models import Activity, Indicator, Measurement, PlanIndicator
from actionplans.services import start_plan
from grants.services import PlannedLine
from tests.counselling.conftest import make_participation

BUDGET = [
    PlannedLine("staff", "Koordinaator", Decimal("20000.00")),
    PlannedLine("training", "Koolitused", Decimal("15000.00")),
]


@pytest.fixture
def participation(kov_a, provider):
    """Rapla vald, counselled by the provider persona's organisation, its grant in two lines."""
    return make_participation(kov_a, provider.service_provider, budget=BUDGET)


@pytest.fixture
def plan(participation, kov_a):
    """Two activities (one done, one in progress) and two indicators, one measured twice."""
    plan = start_plan(participation=participation, user=kov_a)
    for title, status, start in (("Koolitus", "done", 1), ("Naabrivalve", "in_progress", 3)):
        Activity.objects.create(
            plan=plan,
            title=title,
            start_month=start,
            end_month=start + 2,
            responsible="Mari",
            status=status,
        )
    fires = PlanIndicator.objects.create(
        plan=plan,
        indicator=Indicator.objects.get(code="BUILDING_FIRES"),
        baseline_value=Decimal("20"),
        baseline_on=date(2025, 1, 1),
        target_value=Decimal("10"),
        target_on=date(2027, 12, 31),
    )
    Measurement.objects.create(
        plan_indicator=fires, value=Decimal("16"), measured_on=date(2026, 1, 1)
    )
    Measurement.objects.create(
        plan_indicator=fires, value=Decimal("13"), measured_on=date(2026, 6, 1)
    )
    own = Indicator.objects.create(
        code="own-walks",
        name_et="Ühisjalutused",
        unit="count",
        lower_is_better=False,
        municipality=participation.municipality,
    )
    PlanIndicator.objects.create(
        plan=plan,
        indicator=own,
        baseline_value=Decimal("2"),
        baseline_on=date(2025, 1, 1),
        target_value=Decimal("12"),
        target_on=date(2027, 12, 31),
    )
    return plan
