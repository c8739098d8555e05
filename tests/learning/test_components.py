"""Attended trainings and sharing events count towards the action plan's components and show
on the municipality's dashboard."""

import pytest
from django.urls import reverse

from actionplans.services import start_plan
from tests.learning.conftest import add_participant, keila, make_event, rapla

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(participation_a):
    return start_plan(participation=participation_a)


def test_the_plan_shows_what_was_delivered(client_for, kov_a, plan, held_training):
    add_participant(held_training, rapla(), "Mari Maasikas", attended=True)
    add_participant(held_training, rapla(), "Jaan Tamm", attended=False)
    add_participant(held_training, keila(), "Kalle Keila", attended=True)
    make_event(presenters=[rapla()])
    make_event(attendees=[rapla(), keila()])
    make_event(attendees=[keila()])
    page = client_for(kov_a, "en").get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "So far 1 person has attended 1 training(s)." in page
    assert "So far presented at 1 and attended 1 sharing event(s)." in page


def test_the_municipality_dashboard_counts_attendance_by_type(
    client_for,
    kov_a,
    participation_a,
    held_training,
):
    add_participant(held_training, rapla(), "Mari Maasikas", attended=True)
    add_participant(held_training, keila(), "Kalle Keila", attended=True)
    page = client_for(kov_a, "en").get(reverse("dashboard")).content.decode()
    assert "Your people who have attended trainings" in page
    assert "Kalle Keila" not in page
