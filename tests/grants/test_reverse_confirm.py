"""Reversing a ledger entry passes through a page that shows the entry and says what the
reversal does; the reason is typed there."""

import pytest
from django.urls import reverse

from grants import services
from grants.models import EntryState, LedgerEntry
from tests.applications.without_js import post_forms, press
from tests.grants.conftest import expenditure_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(participation, training_line, kov_a):
    return services.record_expenditure(
        **expenditure_kwargs(participation, training_line, "250.00", kov_a, description="Arve 7")
    )


def test_the_page_shows_the_entry_and_the_consequence(client_for, kov_a, participation, entry):
    url = reverse("ledger_reverse", args=[participation.pk, entry.pk])
    page = client_for(kov_a, "en").get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Reverse the entry?" in html
    assert "Arve 7" in html and "250.00" in html and "Expenditure" in html
    assert "The reversal is final." in html
    assert "the ministry and the municipality both see it" in html
    assert 'name="reason"' in html
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL).exists()


def test_the_ledger_links_to_the_page_and_has_no_one_click_reversal(
    client_for, kov_a, participation, entry
):
    url = reverse("ledger_reverse", args=[participation.pk, entry.pk])
    ledger = client_for(kov_a, "en").get(reverse("ledger", args=[participation.pk]))
    assert f'href="{url}"' in ledger.content.decode()
    assert not post_forms(ledger, url)


def test_the_plain_form_reverses_with_the_reason(client_for, kov_a, participation, entry):
    client = client_for(kov_a, "en")
    url = reverse("ledger_reverse", args=[participation.pk, entry.pk])
    response = press(client, client.get(url), url, reason="Topelt sisestatud")
    assert response.status_code == 302 and response.url == reverse(
        "ledger", args=[participation.pk]
    )
    reversal = LedgerEntry.objects.get(kind=LedgerEntry.Kind.REVERSAL)
    assert reversal.reverses == entry and reversal.description == "Topelt sisestatud"
    assert LedgerEntry.objects.with_state().get(pk=entry.pk).state == EntryState.REVERSED


def test_without_a_reason_the_page_comes_back_and_nothing_is_reversed(
    client_for, kov_a, participation, entry
):
    client = client_for(kov_a, "en")
    url = reverse("ledger_reverse", args=[participation.pk, entry.pk])
    response = press(client, client.get(url), url, reason="  ")
    assert response.status_code == 200
    assert "Say why the entry is reversed." in response.content.decode()
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL).exists()


def test_who_may_never_reverse_gets_403_with_the_reason(client_for, provider, participation, entry):
    url = reverse("ledger_reverse", args=[participation.pk, entry.pk])
    response = client_for(provider, "en").get(url)
    assert response.status_code == 403
    assert "Only the municipality and the ministry reverse its entries." in (
        response.content.decode()
    )


def test_a_not_now_refusal_is_said_on_the_page_without_the_form(
    client_for, ministry, participation, entry
):
    url = reverse("ledger_reverse", args=[participation.pk, entry.pk])
    response = client_for(ministry, "en").get(url)
    assert response.status_code == 200
    assert "An expenditure waiting for review is approved or rejected." in (
        response.content.decode()
    )
    assert not post_forms(response, url)
