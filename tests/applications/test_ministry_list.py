import csv
import io

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, Status
from programme.models import County, Municipality
from tests.factories import ApplicationFactory, CallFactory, complete_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(kov_a):
    call = CallFactory(title="II etapp")
    submitted = complete_application(ApplicationFactory(call=call))  # Rapla vald
    services.submit_application(application=submitted, user=kov_a)
    ApplicationFactory(call=call, municipality=Municipality.objects.get(name="Narva linn"))
    keila = ApplicationFactory(call=call, municipality=Municipality.objects.get(name="Keila linn"))
    keila.preferred_start_year = 2028
    keila.save()
    ApplicationFactory(
        call=CallFactory(title="Muu voor"), municipality=Municipality.objects.get(name="Elva vald")
    )
    return call


def names(response):
    return sorted(a.municipality.name for a in response.context["filter"].qs)


def test_the_list_filters_by_call_county_status_start_year_and_name(client_for, ministry, call):
    client = client_for(ministry)
    url = reverse("application_list")
    assert names(client.get(url, {"call": call.pk})) == ["Keila linn", "Narva linn", "Rapla vald"]
    harju = County.objects.get(name="Harju maakond")
    assert names(client.get(url, {"county": harju.pk})) == ["Keila linn"]
    assert names(client.get(url, {"status": Status.SUBMITTED})) == ["Rapla vald"]
    assert names(client.get(url, {"preferred_start_year": 2028})) == ["Keila linn"]
    assert names(client.get(url, {"municipality": "narva"})) == ["Narva linn"]


def test_the_list_counts_applications_by_status(client_for, ministry, call):
    response = client_for(ministry, "en").get(reverse("application_list"), {"call": call.pk})
    assert dict(response.context["status_counts"])["draft"] == 2
    assert dict(response.context["status_counts"])["submitted"] == 1


def test_the_csv_export_follows_the_filter(client_for, ministry, call):
    response = client_for(ministry, "en").get(
        reverse("application_export"), {"call": call.pk, "status": "submitted"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Call", "Municipality", "EHAK code"]
    [row] = rows[1:]
    assert row[1:5] == ["Rapla vald", "0668", "Rapla maakond", "submitted"]
    assert row[6] == "20000.00"


def test_the_call_page_shows_counties_with_and_without_applications(client_for, ministry, call):
    response = client_for(ministry).get(reverse("call_overview", args=[call.pk]))
    counties = {county.name: county for county in response.context["counties"]}
    assert counties["Rapla maakond"].submitted == 1
    assert counties["Harju maakond"].submitted == 0 and counties["Harju maakond"].drafts == 1
    assert len(response.context["counties_without"]) == 14
    assert Application.objects.filter(call=call).count() == 3


def test_the_csv_export_keeps_formulas_as_text(client_for, ministry, call):
    Application.objects.filter(call=call).update(contact_name='=HYPERLINK("http://x")')
    response = client_for(ministry).get(reverse("application_export"), {"call": call.pk})
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")
