from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from counselling import services
from counselling.models import CounsellingSession
from counselling.services import PlannedStep, SessionDetails
from programme.models import Cohort, Participation


def make_participation(user, provider=None, budget=None):
    """A participation of the user's municipality; ``budget``: the lines it planned
    (grants.services.PlannedLine), given when it is saved."""
    today = timezone.localdate()
    cohort, _ = Cohort.objects.get_or_create(stage=2, start_year=today.year - 1)
    participation = Participation(
        municipality=user.municipality,
        cohort=cohort,
        start_on=today - timedelta(days=300),
        end_on=today + timedelta(days=400),
        source=Participation.Source.SELECTION,
        service_provider=provider,
    )
    participation.planned_budget = budget
    participation.save()
    return participation


@pytest.fixture
def participation(kov_a, provider):
    """Rapla vald, counselled by the provider persona's organisation."""
    return make_participation(kov_a, provider.service_provider)


@pytest.fixture
def unassigned(kov_b):
    """Keila linn, in the programme without a provider."""
    return make_participation(kov_b)


def details(**changes) -> SessionDetails:
    values = {
        "held_on": timezone.localdate() - timedelta(days=3),
        "duration_hours": Decimal("1.5"),
        "format": CounsellingSession.Format.ON_SITE,
        "topics": ["action_plan", "root_causes"],
        "summary": "Arutasime juurpõhjuste analüüsi.",
        "attendee_count": None,
    }
    return SessionDetails(**(values | changes))


def log(participation, user, *, steps=(), **changes) -> CounsellingSession:
    return services.log_session(
        participation=participation,
        details=details(**changes),
        attendees=[("Tiina Rapla", "arendusjuht")],
        next_steps=list(steps),
        user=user,
    )


def step(description="Saata tegevuskava mustand", due_on: date | None = None) -> PlannedStep:
    return PlannedStep(description, "Tiina Rapla", due_on or timezone.localdate() + timedelta(7))
