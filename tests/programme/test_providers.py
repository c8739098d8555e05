"""Ministry staff keep the provider organisations and assign each participation to one."""

import pytest
from django.urls import reverse

from programme.models import Participation, ServiceProvider
from tests.counselling.conftest import make_participation
from tests.factories import ServiceProviderFactory

pytestmark = pytest.mark.django_db


def test_ministry_assigns_providers_on_one_page(client_for, ministry, kov_a, kov_b):
    rapla, keila = make_participation(kov_a), make_participation(kov_b)
    first, second = ServiceProviderFactory(), ServiceProviderFactory()
    client = client_for(ministry, "en")
    page = client.get(reverse("provider_assignments")).content.decode()
    assert "Rapla vald" in page and "Keila linn" in page
    response = client.post(
        reverse("provider_assignments"),
        {f"participation-{rapla.pk}": first.pk, f"participation-{keila.pk}": second.pk},
        follow=True,
    )
    assert "2 assignments changed." in response.content.decode()
    assert Participation.objects.get(pk=rapla.pk).service_provider == first
    client.post(
        reverse("provider_assignments"),
        {f"participation-{rapla.pk}": "", f"participation-{keila.pk}": second.pk},
    )
    assert Participation.objects.get(pk=rapla.pk).service_provider is None
    assert Participation.objects.get(pk=keila.pk).service_provider == second


def test_an_unknown_provider_is_refused_and_nothing_changes(client_for, ministry, kov_a):
    rapla = make_participation(kov_a)
    response = client_for(ministry, "en").post(
        reverse("provider_assignments"), {f"participation-{rapla.pk}": "999999"}
    )
    assert "Select a valid choice" in response.content.decode()
    assert Participation.objects.get(pk=rapla.pk).service_provider is None


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


@pytest.mark.parametrize("persona", ["kov_a", "provider"])
def test_provider_pages_are_for_ministry_staff(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    for name in ["provider_list", "provider_create", "provider_assignments"]:
        assert client.get(reverse(name)).status_code == 403
