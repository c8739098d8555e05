"""Who may write, submit and decide the final report, share its lessons, close the
participation, and make the last payment."""

import copy
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from closing import services
from closing.models import FinalReport
from tests.rules.table import STAFF, check, row

OWN = {"own_municipality"}


@pytest.fixture
def world(people, participation):
    own = people["own_municipality"]
    report = services.start_report(participation=participation, user=own)

    def in_state(status: str, **fields: object) -> FinalReport:
        """The report in the database in a state (the rules read it from there)."""
        FinalReport.objects.filter(pk=report.pk).update(status=status, **fields)
        return FinalReport.objects.select_related("participation").get(pk=report.pk)

    def complete() -> FinalReport:
        return in_state("draft", continuation="Jätkame.", lessons="Õppige meist.")

    def closed(thing):
        thing = copy.copy(thing)
        thing.closed_at = timezone.now()
        return thing

    return SimpleNamespace(
        participation=participation,
        report=report,
        in_state=in_state,
        complete=complete,
        closed=closed,
        grant=participation.grant_amount,
    )


TABLE = [
    row("closing.write_report", "draft", lambda w: (w.participation,), allowed=OWN),
    row(
        "closing.write_report",
        "returned",
        lambda w: (w.in_state("returned", return_comment="Lisa").participation,),
        allowed=OWN,
    ),
    row(
        "closing.write_report",
        "submitted",
        lambda w: (w.in_state("submitted").participation,),
        not_now=OWN,
    ),
    row(
        "closing.write_report",
        "approved",
        lambda w: (w.in_state("approved").participation,),
        not_now=OWN,
    ),
    row("closing.write_report", "closed", lambda w: (w.closed(w.participation),), not_now=OWN),
    row("closing.submit_report", "complete draft", lambda w: (w.complete(),), allowed=OWN),
    row("closing.submit_report", "answers missing", lambda w: (w.report,), not_now=OWN),
    row(
        "closing.submit_report",
        "submitted",
        lambda w: (w.in_state("submitted", continuation="a", lessons="b"),),
        not_now=OWN,
    ),
    row("closing.approve_report", "submitted", lambda w: (w.in_state("submitted"),), allowed=STAFF),
    row("closing.approve_report", "draft", lambda w: (w.report,), not_now=STAFF),
    row("closing.approve_report", "approved", lambda w: (w.in_state("approved"),), not_now=STAFF),
    row("closing.return_report", "submitted", lambda w: (w.in_state("submitted"),), allowed=STAFF),
    row("closing.return_report", "draft", lambda w: (w.report,), not_now=STAFF),
    row("closing.start_practice", "lessons written", lambda w: (w.complete(),), allowed=OWN),
    row("closing.start_practice", "no lessons", lambda w: (w.report,), not_now=OWN),
    row("closing.close", "report approved", lambda w: (w.in_state("approved").participation,),
        allowed=STAFF),
    row("closing.close", "report submitted", lambda w: (w.in_state("submitted").participation,),
        not_now=STAFF),
    row("closing.close", "closed",
        lambda w: (w.closed(w.in_state("approved").participation),), not_now=STAFF),
    # The last payment (one that brings the disbursed total to the grant) waits for the approved
    # final report; an earlier one does not.
    row("grants.record_disbursement", "before the last payment",
        lambda w: (w.participation, Decimal("100")), allowed=STAFF),
    row("grants.record_disbursement", "last payment, report submitted",
        lambda w: (w.in_state("submitted").participation, w.grant), not_now=STAFF),
    row("grants.record_disbursement", "last payment, report approved",
        lambda w: (w.in_state("approved").participation, w.grant), allowed=STAFF),
]  # fmt: skip


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
