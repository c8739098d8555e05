"""The municipality's start page and the list of requests: what waits for an answer first."""

import html
import re

import pytest
from django.urls import reverse

from inquiries import services
from tests.inquiries.conftest import ask

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_the_start_page_queues_the_questions_to_answer(
    plan, expenditure, ministry, kov_a, kov_b, client_for
):
    ask(plan, ministry)
    ask(expenditure, ministry)
    page = text(client_for(kov_a, "en").get(reverse("dashboard")))
    assert "Questions of the ministry to answer" in page
    assert f'href="{reverse("inquiry_list")}?state=open"' in html.unescape(
        client_for(kov_a, "en").get(reverse("dashboard")).content.decode()
    )
    assert "Questions of the ministry to answer" not in text(
        client_for(kov_b, "en").get(reverse("dashboard"))
    )


def test_the_list_shows_open_requests_first_and_filters_them(
    plan, expenditure, ministry, kov_a, client_for
):
    answered = ask(plan, ministry, question="Esimene")
    services.answer_information_request(request=answered, answer="Vastus", user=kov_a)
    waiting = ask(expenditure, ministry, question="Teine")
    client = client_for(kov_a, "en")
    page = client.get(reverse("inquiry_list")).content.decode()
    first = page.index(reverse("inquiry_detail", args=[waiting.pk]))
    assert first < page.index(reverse("inquiry_detail", args=[answered.pk]))
    only_open = client.get(reverse("inquiry_list") + "?state=open").content.decode()
    assert reverse("inquiry_detail", args=[answered.pk]) not in only_open
    closed = client.get(reverse("inquiry_list") + "?state=closed").content.decode()
    assert reverse("inquiry_detail", args=[waiting.pk]) not in closed
    assert reverse("inquiry_detail", args=[answered.pk]) in closed
