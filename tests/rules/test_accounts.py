"""Who may bring people in and change their access (accounts/rules.py): who invites whom is
accounts.models.INVITABLE_ROLES; a person's access is changed by administrators, never their
own."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import INVITABLE_ROLES, Invitation, Role
from tests.factories import UserFactory
from tests.rules.table import STAFF, check, row

ADMIN = {"admin"}


@pytest.fixture
def world(people):
    now = timezone.now()

    def invitation(email: str, expires_in_days: int = 7, **accepted) -> Invitation:
        """A new colleague of A, invited by the ministry."""
        return Invitation.objects.create(
            user=UserFactory(role=Role.MUNICIPALITY, email=email),
            invited_by=people["ministry"],
            expires_at=now + timedelta(days=expires_in_days),
            **accepted,
        )

    return SimpleNamespace(
        pending=invitation("uus@rapla.example"),
        expired=invitation("hiline@rapla.example", expires_in_days=-1),
        accepted=invitation("tulnud@rapla.example", accepted_at=now),
        colleague=people["own_municipality"],
        inactive=UserFactory(
            role=Role.MUNICIPALITY, email="lahkunud@rapla.example", is_active=False
        ),
        staff_member=people["ministry"],
        themself=people["admin"],
    )


def invite(role: Role) -> object:
    """A row of who may invite a person of the role: INVITABLE_ROLES, read the other way."""
    inviting = {"evaluator", "ministry"} if role in INVITABLE_ROLES[Role.MINISTRY] else set()
    return row("accounts.invite", str(role.label), lambda w: (role,), allowed=inviting | ADMIN)


TABLE = [
    *(invite(role) for role in Role),
    row("accounts.invite", "someone", lambda w: (), allowed=STAFF),
    row("accounts.resend", "pending", lambda w: (w.pending,), allowed=STAFF),
    row("accounts.resend", "expired", lambda w: (w.expired,), allowed=STAFF),
    row("accounts.resend", "accepted", lambda w: (w.accepted,), not_now=STAFF),
    row("accounts.deactivate", "an active person", lambda w: (w.colleague,), allowed=ADMIN),
    row("accounts.deactivate", "an inactive person", lambda w: (w.inactive,), not_now=ADMIN),
    # The administrator's own: one would be signed out mid-request, the portal left unkept.
    row("accounts.deactivate", "the administrator", lambda w: (w.themself,)),
    row("accounts.change_role", "another person", lambda w: (w.colleague,), allowed=ADMIN),
    row("accounts.change_role", "the administrator", lambda w: (w.themself,)),
    row("accounts.reset_second_factor", "any device", lambda w: (), allowed=ADMIN),
    row("accounts.reset_second_factor", "staff's", lambda w: (w.staff_member,), allowed=ADMIN),
    row("accounts.reset_second_factor", "the admin's", lambda w: (w.themself,), allowed=ADMIN),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
