from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from applications.models import Assignment
from grants.services import PlannedLine
from tests.conftest import make_persona
from tests.counselling.conftest import make_participation
from tests.factories import ApplicationFactory, CallFactory, UserFactory, complete_application


@pytest.fixture
def people(db):
    """One person of each role of tests/rules/table.py's ROLES."""
    own = make_persona("kov_a")
    provider = make_persona("provider")
    ministry = make_persona("ministry")
    return {
        "anonymous": AnonymousUser(),
        "own_municipality": own,
        "other_municipality": make_persona("kov_b"),
        "evaluator": UserFactory(role=Role.MINISTRY, email="hindaja@sim.example"),
        "county_evaluator": UserFactory(
            role=Role.COUNTY_EVALUATOR, county=own.municipality.county, email="mtn@rapla.example"
        ),
        "assigned_provider": provider,
        "other_provider": UserFactory(role=Role.PROVIDER, email="olev@teine.example"),
        "ministry": ministry,
        "admin": make_persona("admin"),
    }


@pytest.fixture
def participation(people):
    """Municipality A's participation, counselled by the assigned provider; B takes part too."""
    make_participation(people["other_municipality"])
    return make_participation(
        people["own_municipality"],
        people["assigned_provider"].service_provider,
        budget=[
            PlannedLine("staff", "Koordinaator", Decimal("20000.00")),
            PlannedLine("training", "Koolitused", Decimal("10000.00")),
        ],
    )


@pytest.fixture
def application(people):
    """A's complete application in an open call, both evaluators assigned to it."""
    application = complete_application(
        ApplicationFactory(call=CallFactory(), municipality=people["own_municipality"].municipality)
    )
    for evaluator in (people["evaluator"], people["county_evaluator"]):
        Assignment.objects.create(
            application=application, evaluator=evaluator, assigned_by=people["ministry"]
        )
    return application
