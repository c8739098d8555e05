"""Who may bring people in and change their access (accounts/rules.py): who invites whom is
accounts.models.INVITABLE_ROLES; a person's access is changed by administrators, never their
own."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import INVITABLE_ROLES, Invitation, Role
from tests.factories import UserFactory
from tests.rules.table import ROLES, STAFF, check, row, verdict_of

ADMIN = {"admin"}
SIGNED_IN = set(ROLES) - {"anonymous"}


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
    # The person signing in is the user asked about: with the default settings every role may.
    row("accounts.sign_in_with_password", "default settings", lambda w: (), allowed=SIGNED_IN),
    row("accounts.sign_in_with_eid", "high", lambda w: ("high",), allowed=SIGNED_IN),
    row("accounts.sign_in_with_eid", "substantial", lambda w: ("substantial",), allowed=SIGNED_IN),
    # Low is not a second factor: staff are then asked for their code (TARA_LOW_ASSURANCE_STAFF).
    row("accounts.sign_in_with_eid", "low", lambda w: ("low",), allowed=SIGNED_IN),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)


@pytest.mark.parametrize(
    ("setting", "level", "refused"),
    [("totp", "low", set()), ("refuse", "low", STAFF), ("refuse", "substantial", set())],
)
def test_staff_at_the_low_level_of_eid_as_the_setting_says(
    people, settings, setting, level, refused
):
    settings.TARA_LOW_ASSURANCE_STAFF = setting
    verdicts = {
        role: verdict_of("accounts.sign_in_with_eid", people[role], (level,)) for role in SIGNED_IN
    }
    assert verdicts == {r: "forbidden" if r in refused else "allowed" for r in SIGNED_IN}


def test_password_sign_in_switched_off_for_chosen_roles(people, settings):
    settings.PASSWORD_SIGN_IN_OFF_FOR = [Role.MINISTRY, Role.ADMIN]
    verdicts = {
        role: verdict_of("accounts.sign_in_with_password", people[role], ()) for role in SIGNED_IN
    }
    assert verdicts == {r: "forbidden" if r in STAFF else "allowed" for r in SIGNED_IN}


def test_a_deactivated_person_does_not_sign_in_with_eid(world):
    assert verdict_of("accounts.sign_in_with_eid", world.inactive, ("high",)) == "forbidden"
