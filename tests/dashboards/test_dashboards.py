import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def dashboard(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response


def test_a_municipality_user_sees_their_municipality_county_and_people(client_for, kov_a, kov_b):
    colleague = UserFactory(
        role=Role.MUNICIPALITY, municipality_code="0668", full_name="Kolleeg Rapla"
    )
    page = dashboard(client_for(kov_a)).content.decode()
    assert "Rapla vald" in page and "Rapla maakond" in page
    assert colleague.full_name in page and kov_a.full_name in page
    assert kov_b.full_name not in page
    assert reverse("people") not in page


def test_ministry_sees_counties_municipalities_and_users_by_role(
    client_for, ministry, kov_a, kov_b, provider
):
    response = dashboard(client_for(ministry))
    page = response.content.decode()
    assert "79 omavalitsust 15 maakonnas" in page
    assert "Ida-Viru maakond" in page
    assert dict(response.context["users_by_role"]) == {
        "omavalitsuse kasutaja": 2,
        "ministeeriumi töötaja": 1,
        "teenuseosutaja": 1,
        "maakondliku turvalisusnõukogu hindaja": 0,
        "administraator": 0,
    }
    assert reverse("people") in page and reverse("admin:index") not in page


def test_admins_see_the_programme_overview_and_the_admin_link(client_for, admin):
    page = dashboard(client_for(admin)).content.decode()
    assert reverse("admin:index") in page
    assert reverse("municipality_list") in page


def test_a_provider_sees_its_organisation_and_people(client_for, provider):
    other = UserFactory(role=Role.PROVIDER)
    page = dashboard(client_for(provider)).content.decode()
    assert provider.service_provider.name in page and provider.full_name in page
    assert other.full_name not in page and other.service_provider.name not in page
    assert reverse("municipality_list") not in page


def test_the_municipality_list_filters_by_county(client_for, ministry):
    from programme.models import County

    ida_viru = County.objects.get(name="Ida-Viru maakond")
    response = client_for(ministry).get(reverse("municipality_list"), {"county": ida_viru.pk})
    names = [m.name for m in response.context["filter"].qs]
    assert "Narva linn" in names and "Rapla vald" not in names
    assert len(names) == ida_viru.municipalities.count()
