"""Who may make, submit, review and decide payment claims (the README's payment claims)."""

import copy
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from grants import services
from grants.models import ClaimLine, LedgerEntry
from tests.grants.claims import claim_of, expenditure
from tests.rules.table import STAFF, check, row

OWN = {"own_municipality"}


@pytest.fixture
def world(people, participation):
    own, ministry = people["own_municipality"], people["ministry"]
    staff_line = participation.budget_lines.get(category="staff")

    def spent(amount: str, document: bool = True):
        return expenditure(participation, staff_line, amount, own, document=document)

    draft, empty = claim_of(participation, own), claim_of(participation, own)
    [draft_line] = services.add_to_claim(claim=draft, entries=[spent("1")], user=own)
    submitted = claim_of(participation, own)
    undecided, decided_line = services.add_to_claim(
        claim=submitted, entries=[spent("2"), spent("3")], user=own
    )
    services.submit_claim(claim=submitted, user=own)
    services.review_claim_line(
        line=decided_line, decision="accepted", accepted_amount=None, reason="", user=ministry
    )
    all_decided = claim_of(participation, own)
    [last_line] = services.add_to_claim(claim=all_decided, entries=[spent("4")], user=own)
    services.submit_claim(claim=all_decided, user=own)
    services.review_claim_line(
        line=last_line, decision="refused", accepted_amount=None, reason="Ei", user=ministry
    )
    decided = claim_of(participation, own)
    [paid_line] = services.add_to_claim(claim=decided, entries=[spent("5")], user=own)
    services.submit_claim(claim=decided, user=own)
    services.review_claim_line(
        line=paid_line, decision="accepted", accepted_amount=None, reason="", user=ministry
    )
    services.decide_claim(claim=decided, user=ministry)
    ended = copy.copy(participation)
    ended.end_on = timezone.localdate() - timedelta(days=1)
    for claim in (draft, empty, submitted, all_decided, decided):
        claim.refresh_from_db()
    fresh = {line.pk: line for line in ClaimLine.objects.select_related("claim__participation")}
    return SimpleNamespace(
        open=participation,
        ended=ended,
        draft=draft,
        empty=empty,
        submitted=submitted,
        all_decided=all_decided,
        decided=decided,
        with_document=spent("6"),
        without_document=spent("7", document=False),
        draft_line=fresh[draft_line.pk],
        undecided=fresh[undecided.pk],
        decided_line=fresh[decided_line.pk],
        paid_line=fresh[paid_line.pk],
        payment=LedgerEntry.objects.with_state()
        .select_related("participation")
        .get(pk=decided.disbursement_id),
    )


TABLE = [
    row("grants.create_claim", "open", lambda w: (w.open,), allowed=OWN),
    row("grants.create_claim", "ended", lambda w: (w.ended,), not_now=OWN),
    row("grants.edit_claim", "draft", lambda w: (w.draft,), allowed=OWN),
    row("grants.edit_claim", "submitted", lambda w: (w.submitted,), not_now=OWN),
    row("grants.edit_claim", "decided", lambda w: (w.decided,), not_now=OWN),
    row(
        "grants.add_to_claim",
        "with a document",
        lambda w: (w.draft, w.with_document),
        allowed=OWN,
    ),
    # Said why: a claim needs the supporting document of each expenditure.
    row(
        "grants.add_to_claim",
        "without a document",
        lambda w: (w.draft, w.without_document),
        not_now=OWN,
    ),
    row(
        "grants.add_to_claim",
        "to a submitted claim",
        lambda w: (w.submitted, w.with_document),
        not_now=OWN,
    ),
    row("grants.submit_claim", "draft", lambda w: (w.draft,), allowed=OWN),
    row("grants.submit_claim", "empty", lambda w: (w.empty,), not_now=OWN),
    row("grants.submit_claim", "submitted", lambda w: (w.submitted,), not_now=OWN),
    row("grants.review_claim_line", "undecided", lambda w: (w.undecided,), allowed=STAFF),
    row("grants.review_claim_line", "decided", lambda w: (w.decided_line,), not_now=STAFF),
    row("grants.review_claim_line", "in a draft", lambda w: (w.draft_line,), not_now=STAFF),
    row("grants.review_claim_line", "in a paid claim", lambda w: (w.paid_line,), not_now=STAFF),
    row("grants.decide_claim", "every line decided", lambda w: (w.all_decided,), allowed=STAFF),
    row("grants.decide_claim", "a line undecided", lambda w: (w.submitted,), not_now=STAFF),
    row("grants.decide_claim", "draft", lambda w: (w.draft,), not_now=STAFF),
    row("grants.decide_claim", "decided", lambda w: (w.decided,), not_now=STAFF),
    # The claim's decision and its payment are one: the payment is not reversed alone.
    row("grants.reverse", "a claim's payment", lambda w: (w.payment,), not_now=STAFF),
]


@pytest.mark.parametrize("table_row", TABLE, ids=lambda r: r.id)
def test_who_may(table_row, people, world):
    check(table_row, people, world)
