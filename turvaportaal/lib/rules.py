"""Who may do an action to a thing now, and if not, why.

Each app keeps its predicates in its ``rules.py``, each registered under the action's name
("grants.reverse"). A predicate answers with a Verdict: allowed, or refused with a sentence for
the person in their language. Views, templates (``{% may "grants.reverse" entry as verdict %}``),
services and the admin ask the same predicate; tests/test_rules.py holds the table of who may do
what, and fails on an action it does not list.

A refusal is one of two kinds. *Forbidden*: the person may never do this to the thing (another
municipality's ledger, a role without the duty); a view answers 403 with the reason. *Not now*:
the person could, but the thing's state does not allow it (the entry is already reversed, the
deadline has passed); a view shows the reason beside the form.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Verdict:
    reason: str = ""
    forbidden: bool = False

    def __bool__(self) -> bool:
        return not self.reason

    def __str__(self) -> str:
        return self.reason


ALLOWED = Verdict()


def forbidden(reason: str) -> Verdict:
    """The person may never do this to the thing."""
    return Verdict(reason, forbidden=True)


def not_now(reason: str) -> Verdict:
    """The person may, but not in the thing's present state."""
    return Verdict(reason)


class Forbidden(PermissionDenied):
    """A refusal of who the person is; the 403 page shows the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def require(verdict: Verdict) -> None:
    """Go on only if allowed: Forbidden (403) or a ValidationError (shown beside the form)."""
    if verdict:
        return
    if verdict.forbidden:
        raise Forbidden(verdict.reason)
    raise ValidationError(verdict.reason)


def refuse_forbidden(verdict: Verdict) -> None:
    """A view's first question: 403 now if the person may never do this. A not-now refusal is
    left to the workflow, which says it beside the form as the person typed it."""
    if verdict.forbidden:
        raise Forbidden(verdict.reason)


Predicate = Callable[..., Verdict]
RULES: dict[str, Predicate] = {}


def rule(action: str) -> Callable[[Predicate], Predicate]:
    """Register a predicate under its action's name, ``<app>.<verb>``. No action is open to
    someone not signed in, so a predicate is asked only about a user with a role."""

    def register(predicate: Predicate) -> Predicate:
        if action in RULES:
            raise ValueError(f"{action} has a predicate already")

        @wraps(predicate)
        def signed_in_only(user: Any, *things: Any) -> Verdict:
            if not user.is_authenticated:
                return forbidden(_("Sign in first."))
            return predicate(user, *things)

        RULES[action] = signed_in_only
        return signed_in_only

    return register


def ask(action: str, user: Any, *things: Any) -> Verdict:
    """The named action's verdict; the app's rules module is loaded on first use."""
    if action not in RULES:
        __import__(f"{action.split('.')[0]}.rules")
    return RULES[action](user, *things)
