"""The table of who may do what: each action of turvaportaal.lib.rules, in a state of its object,
with the roles allowed and the roles that could but not in that state. Every other role is
refused as forbidden. tests/rules/test_every_action.py fails on an action no table lists."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from turvaportaal.lib.rules import ask

# The roles, as the person stands to municipality A (Rapla vald) and its objects.
ROLES = (
    "anonymous",
    "own_municipality",  # a user of A
    "other_municipality",  # a user of B (Keila linn, Harju county)
    "evaluator",  # ministry staff assigned to score A's application
    "county_evaluator",  # Rapla county's evaluator, assigned to A's application
    "assigned_provider",  # the provider counselling A
    "other_provider",  # a provider with no assignment in A
    "ministry",  # ministry staff
    "admin",
)
STAFF = {"evaluator", "ministry", "admin"}  # evaluators are ministry staff too


@dataclass(frozen=True)
class Row:
    action: str
    state: str
    things: Callable[[Any], tuple[Any, ...]]  # from the module's world, what the action is on
    allowed: frozenset[str] = field(default_factory=frozenset)
    not_now: frozenset[str] = field(default_factory=frozenset)

    def expected(self, role: str) -> str:
        if role in self.allowed:
            return "allowed"
        if role in self.not_now:
            return "not now"
        return "forbidden"

    @property
    def id(self) -> str:
        return f"{self.action}[{self.state}]"


def row(
    action: str,
    state: str,
    things: Callable[[Any], tuple[Any, ...]],
    allowed: Iterable[str] = (),
    not_now: Iterable[str] = (),
) -> Row:
    allowed, not_now = frozenset(allowed), frozenset(not_now)
    unknown = (allowed | not_now) - set(ROLES)
    assert not unknown, f"{action}: no such role {unknown}"
    return Row(action, state, things, allowed, not_now)


def verdict_of(action: str, user: Any, things: tuple[Any, ...]) -> str:
    verdict = ask(action, user, *things)
    if verdict:
        return "allowed"
    assert str(verdict), f"{action} refused without a reason"
    return "forbidden" if verdict.forbidden else "not now"


def check(table_row: Row, people: dict[str, Any], world: Any) -> None:
    """Every role's verdict, compared at once, so that a failure shows the whole row."""
    things = table_row.things(world)
    got = {role: verdict_of(table_row.action, people[role], things) for role in ROLES}
    wanted = {role: table_row.expected(role) for role in ROLES}
    assert got == wanted, table_row.id
