"""The ministry sees what its decision on an expenditure or a budget change did."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from grants import services
from grants.models import BudgetChange
from tests.factories import decided_move
from tests.grants.conftest import expenditure_kwargs

pytestmark = pytest.mark.django_db


def said(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def entry(participation, staff_line, kov_a):
    return services.record_expenditure(
        **expenditure_kwargs(participation, staff_line, "250.00", kov_a)
    )


def review(client, participation, entry, data):
    return client.post(
        reverse("ledger_review", args=[participation.pk, entry.pk]), data, follow=True
    )


def test_approving_an_expenditure_says_it_was_approved(client_for, ministry, participation, entry):
    response = review(client_for(ministry, "en"), participation, entry, {"approve": "1"})
    assert response.redirect_chain[-1][0] == reverse("ledger", args=[participation.pk])
    assert said(response) == [("success", "The expenditure was approved.")]
    assert entry.review.is_approved


def test_rejecting_an_expenditure_says_it_was_rejected(client_for, ministry, participation, entry):
    response = review(
        client_for(ministry, "en"), participation, entry, {"reject": "1", "reason": "Arve puudub."}
    )
    assert said(response) == [("success", "The expenditure was rejected.")]
    assert not entry.review.is_approved


def test_a_rejection_without_a_reason_says_why_and_nothing_is_decided(
    client_for, ministry, participation, entry
):
    response = review(client_for(ministry, "en"), participation, entry, {"reject": "1"})
    assert said(response) == [("error", "Give the reason for the rejection.")]
    entry.refresh_from_db()
    assert not hasattr(entry, "review")


@pytest.mark.parametrize(
    ("data", "message", "status"),
    [
        (
            {"approve": "1"},
            "The budget change was approved: the money moved between the lines.",
            BudgetChange.Status.APPROVED,
        ),
        (
            {"refuse": "1", "reason": "Pole põhjendatud."},
            "The budget change was refused.",
            BudgetChange.Status.REFUSED,
        ),
    ],
)
def test_deciding_a_budget_change_says_what_was_decided(
    client_for, ministry, kov_a, participation, staff_line, training_line, data, message, status
):
    change = services.request_budget_change(
        participation=participation,
        deltas=decided_move(participation, staff_line, training_line, Decimal("500.00")),
        reason="Rohkem koolitusi.",
        user=kov_a,
    )
    response = client_for(ministry, "en").post(
        reverse("budget_change_decide", args=[participation.pk, change.pk]), data, follow=True
    )
    assert said(response) == [("success", message)]
    change.refresh_from_db()
    assert change.status == status
