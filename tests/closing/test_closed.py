"""A closed participation is read-only: every app's write rules answer "not now" with the one
reason (programme.rules.unless_closed); who may never act is still told so."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actionplans.models import ProgressUpdate
from conversations.services import post_message
from grants import services as grants
from programme.models import Participation
from tests.counselling.conftest import log
from turvaportaal.lib.rules import ask

pytestmark = pytest.mark.django_db

CLOSED = "Not now: the participation is closed."


@pytest.fixture
def closed(participation, plan, kov_a, provider, ministry):
    """The participation with an entry, a session, a quarterly update; then closed."""
    line = participation.budget_lines.first()
    entry = grants.record_expenditure(
        participation=participation,
        budget_line=line,
        amount=Decimal("10"),
        entry_on=timezone.localdate(),
        description="Kohv",
        supplier="Pood",
        invoice_number="1",
        document=None,
        user=kov_a,
    )
    session = log(participation, provider)
    update = ProgressUpdate.objects.create(
        plan=plan,
        quarter_start_on=participation.start_on,
        due_on=participation.start_on + timedelta(days=100),
    )
    Participation.objects.filter(pk=participation.pk).update(
        closed_at=timezone.now(), closed_by=ministry
    )
    participation.refresh_from_db()
    plan.refresh_from_db()
    entry.refresh_from_db()
    session.refresh_from_db()
    update.refresh_from_db()
    return participation, plan, entry, session, update


@pytest.mark.parametrize(
    ("action", "who", "things"),
    [
        ("actionplans.edit", "kov_a", lambda p, plan, e, s, u: (plan,)),
        ("actionplans.submit", "kov_a", lambda p, plan, e, s, u: (plan,)),
        ("actionplans.record_measurement", "kov_a", lambda p, plan, e, s, u: (plan,)),
        ("actionplans.submit_update", "kov_a", lambda p, plan, e, s, u: (u,)),
        ("grants.record_expenditure", "kov_a", lambda p, plan, e, s, u: (p,)),
        ("grants.request_change", "kov_a", lambda p, plan, e, s, u: (p,)),
        ("grants.record_disbursement", "ministry", lambda p, plan, e, s, u: (p,)),
        ("grants.reverse", "kov_a", lambda p, plan, e, s, u: (e,)),
        ("grants.review", "ministry", lambda p, plan, e, s, u: (e,)),
        ("counselling.log_session", "provider", lambda p, plan, e, s, u: (p,)),
        ("counselling.correct_session", "provider", lambda p, plan, e, s, u: (s,)),
        ("counselling.answer_session", "kov_a", lambda p, plan, e, s, u: (s,)),
        ("conversations.post", "kov_a", lambda p, plan, e, s, u: (p,)),
        ("closing.write_report", "kov_a", lambda p, plan, e, s, u: (p,)),
    ],
)
def test_every_write_of_a_closed_participation_is_not_now(closed, action, who, things, request):
    user = request.getfixturevalue(who)
    verdict = ask(action, user, *things(*closed))
    assert not verdict and not verdict.forbidden
    assert str(verdict) == CLOSED


def test_who_may_never_act_is_still_forbidden(closed, kov_b, provider):
    participation, plan, *_ = closed
    assert ask("actionplans.edit", kov_b, plan).forbidden
    assert ask("grants.record_expenditure", provider, participation).forbidden


def test_the_services_refuse_the_write(closed, kov_a):
    participation, *_ = closed
    with pytest.raises(ValidationError, match="participation is closed"):
        grants.record_expenditure(
            participation=participation,
            budget_line=participation.budget_lines.first(),
            amount=Decimal("5"),
            entry_on=timezone.localdate(),
            description="Kohv",
            supplier="Pood",
            invoice_number="2",
            document=None,
            user=kov_a,
        )
    with pytest.raises(ValidationError, match="participation is closed"):
        post_message(participation=participation, user=kov_a, body="Tere")


def test_an_open_participation_takes_the_writes(participation, plan, kov_a):
    assert ask("actionplans.edit", kov_a, plan)
    assert ask("grants.record_expenditure", kov_a, participation)
    assert ask("conversations.post", kov_a, participation)
