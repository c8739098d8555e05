"""The search boxes of long choices: what the answers hold for whom, and how the forms show
and take the chosen rows."""

import re

import pytest
from django.urls import reverse

from programme.models import Municipality
from tests.conftest import KEILA_LINN, RAPLA_VALD
from tests.counselling.conftest import make_participation
from tests.learning.conftest import make_event
from turvaportaal.lib.search import FOUND

pytestmark = pytest.mark.django_db


def found(client, route, text):
    response = client.get(reverse(route), {"q": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def labels(answer):
    return [row["label"] for row in answer["results"]]


class TestMunicipalitySearch:
    def test_finds_by_any_part_of_the_name_in_any_case(self, client_for, kov_a):
        answer = found(client_for(kov_a), "municipality_search", "APLA V")
        rapla = Municipality.objects.get(ehak_code=RAPLA_VALD)
        assert answer == {"results": [{"id": rapla.pk, "label": "Rapla vald"}], "more": False}

    def test_one_letter_finds_nothing_yet(self, client_for, kov_a):
        assert found(client_for(kov_a), "municipality_search", " a ")["results"] == []

    def test_a_long_answer_is_cut_and_says_so(self, client_for, kov_a):
        answer = found(client_for(kov_a), "municipality_search", "vald")
        assert Municipality.objects.filter(name__icontains="vald").count() > FOUND
        assert len(answer["results"]) == FOUND
        assert answer["more"] is True
        assert labels(answer) == sorted(labels(answer))

    @pytest.mark.parametrize("text", ["ra\x00pla", "x" * 101, "%_%", "' OR 1=1 --"])
    def test_odd_text_finds_nothing_and_breaks_nothing(self, client_for, kov_a, text):
        assert found(client_for(kov_a), "municipality_search", text)["results"] == []

    def test_anonymous_visitors_go_to_the_sign_in_page(self, client):
        response = client.get(reverse("municipality_search"), {"q": "rapla"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


class TestParticipationSearch:
    @pytest.fixture
    def both(self, kov_a, kov_b, provider):
        return make_participation(kov_a, provider.service_provider), make_participation(kov_b)

    def test_a_municipality_finds_only_its_own(self, client_for, kov_a, both):
        client = client_for(kov_a)
        assert labels(found(client, "participation_search", "la")) == ["Rapla vald"]
        assert labels(found(client, "participation_search", "keila")) == []

    def test_a_provider_finds_only_those_assigned_to_it(self, client_for, provider, both):
        client = client_for(provider)
        assert labels(found(client, "participation_search", "la")) == ["Rapla vald"]

    def test_ministry_staff_find_every_participation(self, client_for, ministry, both):
        answer = found(client_for(ministry), "participation_search", "la")
        assert labels(answer) == ["Keila linn", "Rapla vald"]
        assert answer["results"][1]["id"] == both[0].pk


class TestTheChoiceOnTheForms:
    def test_an_edit_page_lists_only_the_chosen_municipalities(self, client_for, ministry):
        rapla = Municipality.objects.get(ehak_code=RAPLA_VALD)
        keila = Municipality.objects.get(ehak_code=KEILA_LINN)
        event = make_event(presenters=[rapla], attendees=[keila, rapla])
        page = client_for(ministry).get(reverse("sharing_edit", args=[event.pk])).content.decode()
        assert page.count('type="checkbox" name="presenters"') == 1
        assert page.count('type="checkbox" name="attendees"') == 2
        assert f'name="presenters" value="{rapla.pk}" id="id_presenters_{rapla.pk}" checked' in page
        # Of Estonia's 79 municipalities, the page carries the two chosen.
        assert "Tartu linn" not in page
        assert 'data-search-select="/search/municipalities/"' in page
        # The field's label names the search box.
        assert 'for="id_presenters"' in page
        assert re.search(r'<input type="search"[^>]* id="id_presenters">', page)

    def test_a_form_sent_back_keeps_the_choice_made(self, client_for, ministry):
        rapla = Municipality.objects.get(ehak_code=RAPLA_VALD)
        keila = Municipality.objects.get(ehak_code=KEILA_LINN)
        response = client_for(ministry).post(
            reverse("practice_create"), {"title": "", "municipalities": [rapla.pk, keila.pk]}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert f'value="{rapla.pk}" id="id_municipalities_{rapla.pk}" checked' in page
        assert f'value="{keila.pk}" id="id_municipalities_{keila.pk}" checked' in page

    def test_a_single_choice_shows_the_one_chosen(self, client_for, kov_a, provider):
        participation = make_participation(kov_a, provider.service_provider)
        response = client_for(kov_a).post(
            reverse("report_request_municipality"),
            {"participation": participation.pk, "period_start": "", "period_end": ""},
        )
        page = response.content.decode()
        assert page.count('type="checkbox" name="participation"') == 1
        assert f'value="{participation.pk}" id="id_participation_{participation.pk}"' in page
        assert "data-multiple" not in page.split('data-name="participation"')[1][:20]

    def test_who_sees_one_participation_finds_it_chosen(self, client_for, kov_a, provider):
        participation = make_participation(kov_a, provider.service_provider)
        page = client_for(kov_a).get(reverse("report_list")).content.decode()
        pk = participation.pk
        assert f'value="{pk}" id="id_participation_{pk}" checked' in page
