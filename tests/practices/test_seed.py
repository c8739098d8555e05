"""The guide's examples are in the library from the first migration on."""

import pytest

from practices.models import Approach, JointForm, Practice
from practices.reference import load_guide_examples
from programme.models import County, Municipality, PartnerAgency

pytestmark = pytest.mark.django_db

GUIDE = "Kogukondliku turvalisuse juhend (Linnalabor, 2016)"

# place as the guide names it → (form of joint activity, county, today's municipalities)
EXAMPLES = {
    "Kuressaare linn": (JointForm.COMMUNICATION, "0074", {"0714"}),
    "Rapla politseijaoskond": (JointForm.COMMUNICATION, "0071", {"0668"}),
    "Raplamaa": (JointForm.COMMUNICATION, "0071", set()),
    "Keila linn": (JointForm.COMMUNICATION, "0037", {"0296"}),
    "Läänemaa": (JointForm.COMMUNICATION, "0056", set()),
    "Keila": (JointForm.COOPERATION, "0037", {"0296"}),
    "Ida-Harju": (JointForm.COOPERATION, "0037", set()),
    "Rõuge vald": (JointForm.COORDINATION, "0087", {"0698"}),
    "Järvamaa": (JointForm.COLLABORATION, "0052", set()),
    "Illuka, Mäetaguse, Jõhvi, Vaivara ja Toila vald": (
        JointForm.COLLABORATION,
        "0045",
        {"0130", "0251", "0515", "0803"},
    ),
}


def test_the_guides_ten_examples_are_loaded_and_published():
    examples = Practice.objects.filter(source=GUIDE)
    assert examples.count() == 10
    assert set(examples.values_list("status", flat=True)) == {Practice.Status.PUBLISHED}
    assert not examples.filter(published_at__isnull=True).exists()
    assert not examples.filter(created_by__isnull=False).exists()
    assert not examples.filter(municipality__isnull=False).exists()


@pytest.mark.parametrize("place", EXAMPLES)
def test_each_example_has_its_form_county_and_todays_municipalities(place):
    joint_form, county, municipalities = EXAMPLES[place]
    practice = Practice.objects.get(place=place, source=GUIDE)
    assert practice.joint_form == joint_form
    assert practice.county.ehak_code == county
    assert set(practice.municipalities.values_list("ehak_code", flat=True)) == municipalities
    assert practice.description.strip()


def test_the_examples_say_what_the_guide_says():
    assert Practice.objects.get(place="Kuressaare linn").description == (
        "Kuressaares peavad piirkonnapolitseinikud temaatilisi loenguid noortekeskuses ja "
        "eakate päevakeskuses."
    )
    menetlus = Practice.objects.get(place__startswith="Illuka")
    assert "ühine menetlusteenistus" in menetlus.description
    assert "Turvaline kodukant" in Practice.objects.get(place="Raplamaa").title
    # The guide describes no results of its examples, and names no contact people.
    assert set(Practice.objects.filter(source=GUIDE).values_list("results", flat=True)) == {""}
    assert set(Practice.objects.filter(source=GUIDE).values_list("contact", flat=True)) == {""}


def test_only_turvaline_kodukant_is_classified_by_approach():
    classified = Practice.objects.filter(source=GUIDE).exclude(approach="")
    assert [(p.place, p.approach) for p in classified] == [
        ("Raplamaa", Approach.RESOURCE_MOBILISATION)
    ]


def test_the_police_examples_name_the_ppa_as_partner():
    with_ppa = Practice.objects.filter(partners__code="ppa").values_list("place", flat=True)
    assert set(with_ppa) == {
        "Kuressaare linn",
        "Rapla politseijaoskond",
        "Raplamaa",
        "Keila linn",
        "Läänemaa",
    }


def test_loading_again_creates_nothing_and_keeps_edits():
    practice = Practice.objects.get(place="Järvamaa")
    practice.results = "Arengukava täideti."
    practice.save()
    load_guide_examples(Practice, County, Municipality, PartnerAgency)
    assert Practice.objects.filter(source=GUIDE).count() == 10
    practice.refresh_from_db()
    assert practice.results == "Arengukava täideti."
