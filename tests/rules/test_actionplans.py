"""Who may change an action plan, in each of its states (actionplans/rules.py)."""

import copy
from functools import cached_property
from typing import Any

import pytest

from actionplans import services
from actionplans.models import ActionPlan, Activity, Component, Indicator, ProgressUpdate
from programme.models import Participation
from tests.rules.table import STAFF, check, row

OWN = {"own_municipality"}
# A quarterly update: not sent, sent, returned with a comment, sent again, accepted.
UPDATE_STATES = ("pending", "sent", "returned", "resent", "accepted")
STATES = ("draft", "submitted", "returned", "approved")
WRITTEN = ("draft", "returned")  # the states in which the municipality writes its plan


class World:
    """A's participation, and its plan as it was in each state on its way through the
    workflow. Built when a row first asks for it: A has one participation, and a row about
    starting the plan needs it without one."""

    def __init__(self, people: dict[str, Any], participation: Participation) -> None:
        self.own, self.ministry = people["own_municipality"], people["ministry"]
        self.participation = participation

    @cached_property
    def plans(self) -> dict[str, ActionPlan]:
        plan = services.start_plan(participation=self.participation, user=self.own)
        for component in Component:
            Activity.objects.create(
                plan=plan,
                title=component.value,
                component=component,
                start_month=1,
                end_month=6,
                responsible="Koordinaator",
            )

        def as_it_is() -> ActionPlan:
            return copy.copy(ActionPlan.objects.select_related("participation").get(pk=plan.pk))

        plans = {"draft": as_it_is()}
        services.submit_plan(plan=plan, user=self.own)
        plans["submitted"] = as_it_is()
        services.return_plan(plan=plan, comment="Täpsemalt", user=self.ministry)
        plans["returned"] = as_it_is()
        services.submit_plan(plan=plan, user=self.own)
        services.approve_plan(plan=plan, user=self.ministry)
        plans["approved"] = as_it_is()
        return plans

    @cached_property
    def updates(self) -> dict[str, ProgressUpdate]:
        """A quarter's update in each state of its review."""
        pending, sent, returned, resent, accepted = self.plans["approved"].updates.all()[:5]
        for update in (sent, returned, resent, accepted):
            services.submit_update(update=update, narrative="Hästi läks", user=self.own)
        for update in (returned, resent):
            services.return_update(update=update, comment="Lisa numbrid", user=self.ministry)
        services.submit_update(update=resent, narrative="Numbritega", user=self.own)
        services.accept_update(update=accepted, user=self.ministry)
        return {
            "pending": pending,
            **{
                state: ProgressUpdate.objects.get(pk=update.pk)
                for state, update in zip(
                    UPDATE_STATES[1:], (sent, returned, resent, accepted), strict=True
                )
            },
        }

    def own_indicator(self) -> Indicator:
        return Indicator.objects.create(
            code="NOORTE_RINGID",
            name_et="Noorteringides osalejad",
            unit="inimest",
            municipality=self.participation.municipality,
        )


@pytest.fixture
def world(people, participation):
    return World(people, participation)


def plan_in(state: str) -> Any:
    return lambda w: (w.plans[state],)


def update_in(state: str) -> Any:
    return lambda w: (w.updates[state],)


def in_every_state(
    action: str, allowed: dict[str, set[str]], not_now: dict[str, set[str]] | None = None
) -> list[Any]:
    return [
        row(action, state, plan_in(state), allowed.get(state, ()), (not_now or {}).get(state, ()))
        for state in STATES
    ]


TABLE = [
    # A plan is started once, by its municipality; who has no participation starts none.
    row("actionplans.start", "not started", lambda w: (w.participation,), allowed=OWN),
    row("actionplans.start", "started", lambda w: (w.plans["draft"].participation,), not_now=OWN),
    row("actionplans.start", "no participation", lambda w: (None,)),
    # The content: the municipality writes a draft or a returned plan; the provider assigned to
    # it and the ministry read it.
    *in_every_state(
        "actionplans.edit",
        allowed=dict.fromkeys(WRITTEN, OWN),
        not_now={"submitted": OWN, "approved": OWN},
    ),
    *in_every_state(
        "actionplans.submit",
        allowed=dict.fromkeys(WRITTEN, OWN),
        not_now={"submitted": OWN, "approved": OWN},
    ),
    # An approved plan changes as the draft of its next revision.
    *in_every_state(
        "actionplans.reopen",
        allowed={"approved": OWN},
        not_now=dict.fromkeys(("draft", "submitted", "returned"), OWN),
    ),
    *in_every_state(
        "actionplans.decide",
        allowed={"submitted": STAFF},
        not_now=dict.fromkeys(("draft", "returned", "approved"), STAFF),
    ),
    # Monitoring goes on whatever the state of the plan.
    *in_every_state("actionplans.record_measurement", allowed=dict.fromkeys(STATES, OWN)),
    *in_every_state("actionplans.define_indicator", allowed=dict.fromkeys(STATES, OWN)),
    # The municipality sends an update, and sends it again when the ministry returns it; the
    # ministry accepts or returns one sent and not reviewed since.
    *(
        row(
            "actionplans.submit_update",
            state,
            update_in(state),
            allowed=OWN if state in ("pending", "returned") else (),
            not_now=() if state in ("pending", "returned") else OWN,
        )
        for state in UPDATE_STATES
    ),
    *(
        row(
            action,
            state,
            update_in(state),
            allowed=STAFF if state in ("sent", "resent") else (),
            not_now=() if state in ("sent", "resent") else STAFF,
        )
        for action in ("actionplans.accept_update", "actionplans.return_update")
        for state in UPDATE_STATES
    ),
    row(
        "actionplans.edit_catalogue",
        "a catalogue indicator",
        lambda w: (Indicator.objects.filter(municipality__isnull=True).first(),),
        allowed=STAFF,
    ),
    row("actionplans.edit_catalogue", "a new one", lambda w: (Indicator(),), allowed=STAFF),
    row("actionplans.edit_catalogue", "a municipality's own", lambda w: (w.own_indicator(),)),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)


def test_each_plan_is_in_the_state_it_is_listed_under(world):
    """The control for the table: the copies are the plan's real states, the updates too."""
    assert {state: plan.status for state, plan in world.plans.items()} == {
        state: state for state in STATES
    }
    assert {state: update.status for state, update in world.updates.items()} == {
        "pending": "not_sent",
        "sent": "awaiting_review",
        "returned": "returned",
        "resent": "awaiting_review",
        "accepted": "accepted",
    }
