"""Who may write the counselling record (counselling/rules.py): the provider logs and corrects,
the municipality confirms or disputes, both move the next steps along."""

import copy
from types import SimpleNamespace

import pytest

from counselling import services
from counselling.models import CounsellingSession, NextStep
from programme.models import Participation
from tests.counselling.conftest import log, step
from tests.rules.table import check, row

OWN = {"own_municipality"}
PROVIDER = {"assigned_provider"}
PROVIDERS = {"assigned_provider", "other_provider"}
PARTIES = OWN | PROVIDER


def handed_over(session: CounsellingSession, provider: object) -> CounsellingSession:
    """The session as it stands once A is assigned to another provider (in memory only)."""
    moved = copy.copy(session)
    moved.participation = copy.copy(session.participation)
    moved.participation.service_provider = provider  # type: ignore[assignment]
    return moved


@pytest.fixture
def world(people, participation):
    own, provider = people["own_municipality"], people["assigned_provider"]

    def session() -> CounsellingSession:
        logged = log(participation, provider, steps=[step()])
        return CounsellingSession.objects.select_related("participation__municipality").get(
            pk=logged.pk
        )

    awaiting, confirmed, disputed = session(), session(), session()
    services.answer_session(session=confirmed, confirm=True, comment="", user=own)
    services.answer_session(session=disputed, confirm=False, comment="Kestis tund.", user=own)
    done = confirmed.next_steps.get()
    services.update_step_status(step=done, status=NextStep.Status.DONE, user=own)
    moved = handed_over(awaiting, people["other_provider"].service_provider)
    moved_step = copy.copy(awaiting.next_steps.get())
    moved_step.session = moved
    return SimpleNamespace(
        participation=participation,
        unassigned=Participation.objects.get(
            municipality=people["other_municipality"].municipality
        ),
        awaiting=awaiting,
        confirmed=confirmed,
        disputed=disputed,
        handed_over=moved,
        open_step=awaiting.next_steps.get(),
        done_step=NextStep.objects.select_related("session__participation").get(pk=done.pk),
        handed_over_step=moved_step,
    )


TABLE = [
    # The form and its button: every provider; the session itself only with a municipality
    # assigned to the provider.
    row("counselling.log_session", "the form", lambda w: (), allowed=PROVIDERS),
    row(
        "counselling.log_session",
        "A, assigned to the provider",
        lambda w: (w.participation,),
        allowed=PROVIDER,
    ),
    row("counselling.log_session", "B, assigned to no provider", lambda w: (w.unassigned,)),
    # The provider corrects until the municipality confirms; a disputed session is corrected
    # and awaits the municipality's word again.
    row("counselling.correct_session", "awaiting", lambda w: (w.awaiting,), allowed=PROVIDER),
    row("counselling.correct_session", "disputed", lambda w: (w.disputed,), allowed=PROVIDER),
    row("counselling.correct_session", "confirmed", lambda w: (w.confirmed,), not_now=PROVIDER),
    row("counselling.correct_session", "handed over", lambda w: (w.handed_over,)),
    # The municipality confirms or disputes until it has confirmed; a dispute may be taken back.
    row("counselling.answer_session", "awaiting", lambda w: (w.awaiting,), allowed=OWN),
    row("counselling.answer_session", "disputed", lambda w: (w.disputed,), allowed=OWN),
    row("counselling.answer_session", "confirmed", lambda w: (w.confirmed,), not_now=OWN),
    # Both sides keep the steps true, in any state, a done one back to open too; after a
    # handover the new provider does.
    row("counselling.update_step_status", "open", lambda w: (w.open_step,), allowed=PARTIES),
    row("counselling.update_step_status", "done", lambda w: (w.done_step,), allowed=PARTIES),
    row(
        "counselling.update_step_status",
        "handed over",
        lambda w: (w.handed_over_step,),
        allowed=OWN | {"other_provider"},
    ),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
