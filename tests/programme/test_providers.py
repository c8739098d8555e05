"""Ministry staff keep the provider organisations and assign each participation to one."""

import pytest
from django.urls import reverse

from programme.models import Participation, ServiceProvider
from tests.counselling.conftest import make_participation
from tests.factories import ServiceProviderFactory

pytestmark = pytest.mark.django_db


def test_ministry_ticks_municipalities_and_assigns_them_one_provider(
    client_for, ministry, kov_a, kov_b
):
    rapla, keila = make_participation(kov_a), make_participation(kov_b)
    first, second = ServiceProviderFactory(), ServiceProviderFactory()
    client = client_for(ministry, "en")
    page = client.get(reverse("provider_assignments")).content.decode()
    assert "Rapla vald" in page and "Keila linn" in page
    # One list of providers on the page, not one a row.
    assert page.count(f'<option value="{first.pk}">') == 1
    response = client.post(
        reverse("provider_assignments"),
        {"participations": [rapla.pk, keila.pk], "provider": first.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "2 assignments changed." in page
    assert response.redirect_chain == [(reverse("provider_assignments"), 302)]
    assert page.count(first.name) == 3  # two rows, and the list to choose from
    assert Participation.objects.get(pk=rapla.pk).service_provider == first
    client.post(
        reverse("provider_assignments"), {"participations": [keila.pk], "provider": second.pk}
    )
    client.post(reverse("provider_assignments"), {"participations": [rapla.pk], "provider": "none"})
    assert Participation.objects.get(pk=rapla.pk).service_provider is None
    assert Participation.objects.get(pk=keila.pk).service_provider == second


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"provider": "none"}, "Tick the municipalities to assign."),
        ({"ticked": True}, "Choose a service provider, or no provider."),
        ({"ticked": True, "provider": "999999"}, "Select a valid choice"),
        ({"provider": "none", "participations": ["999999"]}, "Select a valid choice"),
    ],
)
def test_a_choice_left_out_or_unknown_is_refused_and_kept(
    client_for, ministry, kov_a, posted, message
):
    rapla = make_participation(kov_a, ServiceProviderFactory())
    data = dict(posted)
    if data.pop("ticked", False):
        data["participations"] = [rapla.pk]
    response = client_for(ministry, "en").post(reverse("provider_assignments"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    if "participations" in data and data["participations"] == [rapla.pk]:
        assert (
            f'value="{rapla.pk}" class="form-check-input" id="id_participations_0" checked' in page
        )
    assert Participation.objects.get(pk=rapla.pk).service_provider == rapla.service_provider


def test_the_assignment_page_asks_the_database_the_same_number_of_times(
    client_for, ministry, kov_a, kov_b, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(ministry)
    make_participation(kov_a)
    ServiceProviderFactory()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("provider_assignments"))
    make_participation(kov_b)
    ServiceProviderFactory.create_batch(3)
    with django_assert_num_queries(len(few)):
        client.get(reverse("provider_assignments"))


def test_ministry_creates_and_edits_a_provider(client_for, ministry):
    client = client_for(ministry, "en")
    client.post(reverse("provider_create"), {"name": "Kogukonnakompass OÜ", "email": "a@b.ee"})
    provider = ServiceProvider.objects.get(name="Kogukonnakompass OÜ")
    response = client.post(reverse("provider_edit", args=[provider.pk]), {"name": ""})
    assert "This field is required." in response.content.decode()
    assert ServiceProvider.objects.get(pk=provider.pk).name == "Kogukonnakompass OÜ"


def test_a_change_of_a_provider_is_recorded(client_for, ministry):
    from audit.models import AuditEvent

    client = client_for(ministry, "en")
    client.post(reverse("provider_create"), {"name": "Kogukonnakompass OÜ", "email": "a@b.ee"})
    provider = ServiceProvider.objects.get()
    client.post(reverse("provider_edit", args=[provider.pk]), {"name": "Kompass OÜ"})
    added, changed = AuditEvent.objects.filter(object_id=provider.pk).order_by("pk")
    assert (added.detail, added.actor) == ("provider added", ministry)
    assert changed.before == {"name": "Kogukonnakompass OÜ", "email": "a@b.ee"}
    assert changed.after == {"name": "Kompass OÜ", "email": ""}


def test_a_providers_own_people_do_not_edit_it_and_are_told_why(client_for, provider):
    url = reverse("provider_edit", args=[provider.service_provider_id])
    client = client_for(provider, "en")
    for response in (client.get(url), client.post(url, {"name": "Uus nimi"})):
        assert response.status_code == 403
        assert "Only the ministry keeps the details of the service providers." in (
            response.content.decode()
        )
    assert ServiceProvider.objects.get(pk=provider.service_provider_id).name != "Uus nimi"


@pytest.mark.parametrize("persona", ["kov_a", "provider"])
def test_provider_pages_are_for_ministry_staff(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    for name in ["provider_list", "provider_create", "provider_assignments"]:
        assert client.get(reverse(name)).status_code == 403
