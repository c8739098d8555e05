"""Who may organise trainings, register people for them and record who came, and who records
experience-sharing events (learning/rules.py)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from learning import services
from learning.models import Organiser, SharingEvent, Training
from tests.learning.conftest import add_participant, make_event, make_training, today
from tests.rules.table import STAFF, check, row

OWN = {"own_municipality"}
TAKING_PART = {"own_municipality", "other_municipality"}  # A and B are both in the programme
ORGANISERS = {"assigned_provider"} | STAFF  # of the provider's own trainings


def fresh(training: Training) -> Training:
    """The training as a page reads it, with the people registered counted."""
    return Training.objects.with_registered_count().get(pk=training.pk)


@pytest.fixture
def world(people, participation):
    rapla = people["own_municipality"].municipality
    keila = people["other_municipality"].municipality
    in_two_weeks, yesterday = today() + timedelta(days=14), today() - timedelta(days=1)
    open_ = make_training(title="Ennetus")
    full = make_training(title="Täis", capacity=1)
    past = make_training(title="Toimunud", starts_on=yesterday)
    registered = make_training(title="Registreeritud")
    provider = people["assigned_provider"].service_provider
    provider_open = make_training(
        title="Juhtumikorraldus",
        organiser=Organiser.SERVICE_PROVIDER,
        service_provider=provider,
        starts_on=in_two_weeks,
    )
    provider_today = make_training(
        title="STAD",
        organiser=Organiser.SERVICE_PROVIDER,
        service_provider=provider,
        starts_on=today(),
    )
    kalle = add_participant(full, keila, "Kalle Kask")
    mari = add_participant(registered, rapla, "Mari Maasikas")
    jaan = add_participant(past, rapla, "Jaan Tamm", attended=True)
    recorded_by_a = services.save_sharing_event(
        event=None,
        user=people["own_municipality"],
        title="Raplamaa kogemuspäev",
        held_on=today() - timedelta(days=7),
        level=SharingEvent.Level.NATIONAL,
        county=None,
        host="Rapla vald",
        presenters=[rapla],
        attendees=[],
        notes="",
    )
    return SimpleNamespace(
        open=fresh(open_),
        full=fresh(full),
        past=fresh(past),
        registered=fresh(registered),
        provider_open=fresh(provider_open),
        provider_today=fresh(provider_today),
        own_person=mari,
        own_person_past=jaan,
        others_person=kalle,
        recorded_by_a=recorded_by_a,
        recorded_by_the_ministry=make_event(presenters=[rapla], attendees=[keila]),
    )


TABLE = [
    # Every provider organises its own trainings, the ministry any.
    row(
        "learning.create_training",
        "a new training",
        lambda w: (),
        allowed=STAFF | {"assigned_provider", "other_provider"},
    ),
    # The organiser changes a training in any state: a held one's details may need putting right.
    row("learning.edit_training", "open for registration", lambda w: (w.open,), allowed=STAFF),
    row("learning.edit_training", "full", lambda w: (w.full,), allowed=STAFF),
    row("learning.edit_training", "past", lambda w: (w.past,), allowed=STAFF),
    row("learning.edit_training", "registered", lambda w: (w.registered,), allowed=STAFF),
    row(
        "learning.edit_training",
        "the provider's, open",
        lambda w: (w.provider_open,),
        allowed=ORGANISERS,
    ),
    row(
        "learning.edit_training",
        "the provider's, today",
        lambda w: (w.provider_today,),
        allowed=ORGANISERS,
    ),
    # A municipality in the programme registers its people until the day before, while places
    # are left, however many it has registered already.
    row(
        "learning.register_participant",
        "open for registration",
        lambda w: (w.open,),
        allowed=TAKING_PART,
    ),
    row("learning.register_participant", "full", lambda w: (w.full,), not_now=TAKING_PART),
    row("learning.register_participant", "past", lambda w: (w.past,), not_now=TAKING_PART),
    row(
        "learning.register_participant",
        "registered",
        lambda w: (w.registered,),
        allowed=TAKING_PART,
    ),
    row(
        "learning.register_participant",
        "the provider's, today",
        lambda w: (w.provider_today,),
        not_now=TAKING_PART,
    ),
    # Its own people only, until the day before the training.
    row(
        "learning.withdraw_participant",
        "registered, open",
        lambda w: (w.own_person,),
        allowed=OWN,
    ),
    row(
        "learning.withdraw_participant",
        "registered, full",
        lambda w: (w.others_person,),
        allowed={"other_municipality"},
    ),
    row(
        "learning.withdraw_participant",
        "registered, past",
        lambda w: (w.own_person_past,),
        not_now=OWN,
    ),
    # The organiser, from the training's date on.
    row(
        "learning.record_attendance",
        "open for registration",
        lambda w: (w.open,),
        not_now=STAFF,
    ),
    row("learning.record_attendance", "full", lambda w: (w.full,), not_now=STAFF),
    row("learning.record_attendance", "past", lambda w: (w.past,), allowed=STAFF),
    row("learning.record_attendance", "registered", lambda w: (w.registered,), not_now=STAFF),
    row(
        "learning.record_attendance",
        "the provider's, open",
        lambda w: (w.provider_open,),
        not_now=ORGANISERS,
    ),
    row(
        "learning.record_attendance",
        "the provider's, today",
        lambda w: (w.provider_today,),
        allowed=ORGANISERS,
    ),
    # Sharing events: the ministry and the municipalities record them; who recorded one changes
    # it, the ministry any.
    row(
        "learning.record_sharing_event",
        "a new event",
        lambda w: (),
        allowed=STAFF | TAKING_PART,
    ),
    row(
        "learning.edit_sharing_event",
        "recorded by A",
        lambda w: (w.recorded_by_a,),
        allowed=STAFF | OWN,
    ),
    row(
        "learning.edit_sharing_event",
        "recorded by the ministry, A presented",
        lambda w: (w.recorded_by_the_ministry,),
        allowed=STAFF,
    ),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
