"""Who sees a request: exactly who sees its object (each object's own visible_to). Everyone else
gets 404 on its pages and its file, and finds it in no list."""

import pytest
from django.urls import reverse

from accounts.models import Role
from actionplans.models import ActionPlan, ProgressUpdate
from applications.models import Application
from grants.models import BudgetChange, LedgerEntry
from inquiries import services
from inquiries.models import InformationRequest
from tests.factories import UserFactory
from tests.inquiries.conftest import ask, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(application, plan, sent_update, expenditure, budget_change, ministry, kov_a):
    """A request about each kind of object of Rapla vald, the application's answered with a
    file."""
    about_application = ask(application, ministry)
    services.answer_information_request(
        request=about_application, answer="Vastus.", attachment=pdf(), user=kov_a
    )
    return {
        "application": about_application,
        "plan": ask(plan, ministry),
        "progress_update": ask(sent_update, ministry),
        "expenditure": ask(expenditure, ministry),
        "budget_change": ask(budget_change, ministry),
    }


@pytest.fixture
def everyone(kov_a, kov_b, provider, ministry, admin, county_evaluator, assignment):
    return {
        "kov_a": kov_a,
        "kov_b": kov_b,
        "provider": provider,
        "other_provider": UserFactory(role=Role.PROVIDER, email="olev@teine.example"),
        "ministry": ministry,
        "admin": admin,
        "county_evaluator": county_evaluator,
        "other_county_evaluator": UserFactory(
            role=Role.COUNTY_EVALUATOR,
            county=kov_a.municipality.county,
            email="teine@rapla.example",
        ),
    }


MODELS = {
    "application": Application,
    "plan": ActionPlan,
    "progress_update": ProgressUpdate,
    "expenditure": LedgerEntry,
    "budget_change": BudgetChange,
}


def test_a_request_is_seen_by_exactly_who_sees_its_object(requests, everyone):
    for name, user in everyone.items():
        expected = {
            request.pk
            for subject, request in requests.items()
            if MODELS[subject].objects.visible_to(user).filter(pk=request.thing.pk).exists()
        }
        seen = set(InformationRequest.objects.visible_to(user).values_list("pk", flat=True))
        assert seen == expected, name
    # The control: the roles do differ.
    provider_sees = set(InformationRequest.objects.visible_to(everyone["provider"]))
    assert requests["plan"] in provider_sees and requests["application"] not in provider_sees
    evaluator_sees = set(InformationRequest.objects.visible_to(everyone["county_evaluator"]))
    assert evaluator_sees == {requests["application"]}


def test_another_municipality_gets_404_everywhere(requests, kov_b, client_for):
    client = client_for(kov_b, "en")
    for subject, request in requests.items():
        thing = request.thing
        for url in (
            reverse("inquiry_detail", args=[request.pk]),
            reverse("inquiry_answer", args=[request.pk]),
            reverse("inquiry_answered", args=[request.pk]),
            reverse("inquiry_withdraw", args=[request.pk]),
            reverse("inquiry_attachment", args=[request.pk]),
            reverse("inquiry_ask", args=[subject, thing.pk]),
        ):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"answer": "x", "question": "x"}).status_code == 404, url
    listing = client.get(reverse("inquiry_list")).content.decode()
    assert "Rapla vald" not in listing
    assert not InformationRequest.objects.filter(answered_by=kov_b).exists()


def test_the_provider_sees_the_plans_requests_but_never_the_applications(
    requests, provider, client_for
):
    client = client_for(provider, "en")
    plan_request = requests["plan"]
    assert client.get(reverse("inquiry_detail", args=[plan_request.pk])).status_code == 200
    # It reads the plan, but neither answers nor asks about it.
    assert client.get(reverse("inquiry_answer", args=[plan_request.pk])).status_code == 403
    ask_url = reverse("inquiry_ask", args=["plan", plan_request.plan_id])
    assert client.post(ask_url, {"question": "x"}).status_code == 403
    about_application = requests["application"]
    for name in ("inquiry_detail", "inquiry_attachment"):
        response = client.get(reverse(name, args=[about_application.pk]))
        assert response.status_code == 404
    listing = client.get(reverse("inquiry_list")).content.decode()
    assert reverse("inquiry_detail", args=[plan_request.pk]) in listing
    assert reverse("inquiry_detail", args=[about_application.pk]) not in listing


def test_the_attachment_downloads_only_through_the_authorising_view(
    requests, kov_a, ministry, county_evaluator, assignment, provider, client_for
):
    answered = requests["application"]
    url = reverse("inquiry_attachment", args=[answered.pk])
    for user in (kov_a, ministry, county_evaluator):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
    assert client_for(provider).get(url).status_code == 404
    # A request with no file has nothing to download.
    no_file = reverse("inquiry_attachment", args=[requests["plan"].pk])
    assert client_for(ministry).get(no_file).status_code == 404
    # The stored name is generated, never the one the browser sent.
    assert "selgitus" not in answered.attachment.name


def test_an_unknown_kind_of_object_is_404(ministry, client_for):
    client = client_for(ministry)
    assert client.get("/information-requests/ask/call/1/").status_code == 404
    assert client.get("/information-requests/ask/plan/999999/").status_code == 404


def test_only_the_ministry_asks_and_a_disbursement_is_never_asked_about(
    plan, participation, kov_a, ministry, client_for
):
    from decimal import Decimal

    from django.utils import timezone

    from grants.services import record_disbursement

    url = reverse("inquiry_ask", args=["plan", plan.pk])
    response = client_for(kov_a, "en").get(url)
    assert response.status_code == 403
    assert (
        "Only the ministry asks a municipality for more information." in response.content.decode()
    )
    disbursement = record_disbursement(
        participation=participation,
        amount=Decimal("100.00"),
        entry_on=timezone.localdate(),
        tranche=1,
        user=ministry,
    )
    url = reverse("inquiry_ask", args=["expenditure", disbursement.pk])
    assert client_for(ministry, "en").get(url).status_code == 403
