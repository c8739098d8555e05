"""More information about an action plan, a quarterly update, an expenditure and a budget
change: asked from the object's page, shown on it while the municipality's answer is awaited,
and after the answer the object is as it was, the question and answer beside it."""

import html
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from actionplans.models import ActionPlan
from grants.models import BudgetChange, EntryState, LedgerEntry
from inquiries.models import InformationRequest

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@dataclass(frozen=True)
class Case:
    fixture: str
    subject: str
    page: str  # the URL name of the object's page
    page_of: Any  # the object's page's URL argument

    def state(self, thing: Any) -> str:
        """The object's own status, which asking and answering leave as they were."""
        match thing:
            case ActionPlan():
                return ActionPlan.objects.get(pk=thing.pk).status
            case LedgerEntry():
                return LedgerEntry.objects.with_state().get(pk=thing.pk).state
            case BudgetChange():
                return BudgetChange.objects.get(pk=thing.pk).status
            case _:
                return type(thing).objects.get(pk=thing.pk).status


CASES = [
    Case("plan", "plan", "plan_detail", lambda thing: thing.pk),
    Case("sent_update", "progress_update", "plan_updates", lambda thing: thing.plan_id),
    Case("expenditure", "expenditure", "ledger", lambda thing: thing.participation_id),
    Case("budget_change", "budget_change", "ledger", lambda thing: thing.participation_id),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.subject)
def test_asked_from_its_page_waits_for_the_answer_and_keeps_it_beside(
    case, request, ministry, kov_a, client_for
):
    thing = request.getfixturevalue(case.fixture)
    before = case.state(thing)
    page = reverse(case.page, args=[case.page_of(thing)])
    ask_url = reverse("inquiry_ask", args=[case.subject, thing.pk])
    ministry_client = client_for(ministry, "en")
    municipality = client_for(kov_a, "en")

    assert f'href="{ask_url}"' in ministry_client.get(page).content.decode()
    form = ministry_client.get(ask_url)
    assert form.status_code == 200
    assert 'name="sections"' not in form.content.decode()  # only an application has parts
    response = ministry_client.post(ask_url, {"question": "Palun selgitage."})
    assert response.status_code == 302 and response.url == page
    asked = InformationRequest.objects.get()
    assert asked.thing == thing and asked.municipality == kov_a.municipality
    assert case.state(thing) == before

    today = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    waiting = f"Waiting for Rapla vald's answer since {today}"
    for client in (ministry_client, municipality):
        shown = text(client.get(page))
        assert "More information requested" in shown and waiting in shown
    assert f'href="{ask_url}"' not in ministry_client.get(page).content.decode()

    response = municipality.post(
        reverse("inquiry_answer", args=[asked.pk]), {"answer": "Selgitus on siin."}
    )
    assert response.status_code == 302
    assert case.state(thing) == before
    shown = text(ministry_client.get(page))
    assert waiting not in shown
    detail = reverse("inquiry_detail", args=[asked.pk])
    assert f'href="{detail}"' in shown
    exchange = text(ministry_client.get(detail))
    assert "Palun selgitage." in exchange and "Selgitus on siin." in exchange
    # Asked and answered, it may be asked about again while it still waits for the ministry.
    assert f'href="{ask_url}"' in ministry_client.get(page).content.decode()


def test_the_plans_panel_names_who_asked_and_offers_the_answer(plan, ministry, kov_a, client_for):
    client_for(ministry, "en").post(
        reverse("inquiry_ask", args=["plan", plan.pk]), {"question": "Kus on STAD tegevus?"}
    )
    asked = InformationRequest.objects.get()
    page = text(client_for(kov_a, "en").get(reverse("plan_detail", args=[plan.pk])))
    assert "Mari Ministeerium asks:" in page and "Kus on STAD tegevus?" in page
    assert f'href="{reverse("inquiry_answer", args=[asked.pk])}"' in page


@pytest.mark.parametrize(
    ("fixture", "subject", "reason"),
    [
        ("plan", "plan", "More information is asked about a plan waiting for the ministry's"),
        ("expenditure", "expenditure", "More information is asked about an expenditure waiting"),
        ("budget_change", "budget_change", "about a budget change waiting for a decision"),
    ],
)
def test_what_no_longer_waits_for_the_ministry_is_not_asked_about(
    fixture, subject, reason, request, ministry, client_for
):
    thing = request.getfixturevalue(fixture)
    match thing:
        case ActionPlan():
            ActionPlan.objects.filter(pk=thing.pk).update(status=ActionPlan.Status.APPROVED)
        case LedgerEntry():
            from grants.services import review_expenditure

            review_expenditure(entry=thing, approve=True, reason="", user=ministry)
            assert LedgerEntry.objects.with_state().get(pk=thing.pk).state == EntryState.APPROVED
        case BudgetChange():
            BudgetChange.objects.filter(pk=thing.pk).update(status=BudgetChange.Status.REFUSED)
    client = client_for(ministry, "en")
    url = reverse("inquiry_ask", args=[subject, thing.pk])
    assert reason in text(client.get(url))
    response = client.post(url, {"question": "Palun selgitage."})
    assert response.status_code == 200
    page = text(response)
    assert reason in page and "Palun selgitage." in page  # the reason, and what was typed
    assert not InformationRequest.objects.exists()


def test_an_update_not_sent_is_not_asked_about(plan, ministry, client_for):
    update = plan.updates.order_by("quarter_start_on").first()
    client = client_for(ministry, "en")
    url = reverse("inquiry_ask", args=["progress_update", update.pk])
    assert "an update waiting for review" in text(client.get(url))
    assert (
        f'href="{url}"' not in client.get(reverse("plan_updates", args=[plan.pk])).content.decode()
    )
