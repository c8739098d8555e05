"""Registrations at once for the last places of a training, on PostgreSQL with real transactions."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts.models import Role
from learning import services
from learning.models import TrainingParticipant
from tests.factories import UserFactory
from tests.learning.conftest import make_training, participate, rapla

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs on it)"
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_the_places():
    participate(rapla())
    user = UserFactory(role=Role.MUNICIPALITY, municipality_code="0668")
    training = make_training(capacity=3)
    start = threading.Barrier(10)
    outcomes: list[str] = []

    def post(number: int) -> None:
        try:
            start.wait()
            services.register_participant(
                training=training, user=user, name=f"Inimene {number}", kind="official", role="x"
            )
            outcomes.append("registered")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=[n]) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["refused"] * 7 + ["registered"] * 3
    assert TrainingParticipant.objects.filter(training=training).count() == 3
