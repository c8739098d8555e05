"""The library in the browser's terms: searching, reading, describing and publishing."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from practices.models import Approach, JointForm, Practice
from programme.models import County, Municipality, PartnerAgency
from tests.conftest import KEILA_LINN
from tests.factories import UserFactory
from tests.practices.conftest import make_practice

pytestmark = pytest.mark.django_db

LIST = reverse("practice_list")


def detail(practice):
    return reverse("practice_detail", args=[practice.pk])


def titles(response):
    return [practice.title for practice in response.context["listing"].page]


def form_data(**fields):
    values = {
        "title": "Külavanemate turvalisusring",
        "place": "Kehtna",
        "joint_form": JointForm.COOPERATION,
        "approach": "",
        "description": "Külavanemad ja konstaabel kohtuvad kord kvartalis.",
        "partners": [PartnerAgency.objects.get(code="ppa").pk],
    }
    values.update(fields)
    return values


# Listing and searching


def test_every_signed_in_role_reads_the_library_with_the_legend(client_for, kov_a, provider):
    evaluator = UserFactory(role=Role.COUNTY_EVALUATOR, county=County.objects.get(ehak_code="0071"))
    for user in (kov_a, provider, evaluator):
        response = client_for(user, "en").get(LIST)
        assert response.status_code == 200
        page = response.content.decode()
        assert "10 practices" in page
        assert "Rõuge valla tervisenõukogu" in page
        assert "Information exchange between the parties" in page
        assert "Approaches by residents' participation" in page


def test_the_list_is_in_estonian_by_default(client_for, kov_a):
    page = client_for(kov_a).get(LIST).content.decode()
    assert '<html lang="et">' in page
    assert "Valdade ühine menetlusteenistus" in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("query", "places"),
    [
        ({"joint_form": JointForm.COORDINATION}, ["Rõuge vald"]),
        (
            {"joint_form": JointForm.COLLABORATION},
            ["Illuka, Mäetaguse, Jõhvi, Vaivara ja Toila vald", "Järvamaa"],
        ),
        ({"approach": Approach.RESOURCE_MOBILISATION}, ["Raplamaa"]),
        ({"q": "MENETLUSTEENISTUS"}, ["Illuka, Mäetaguse, Jõhvi, Vaivara ja Toila vald"]),
        ({"q": "ümarlaud"}, ["Ida-Harju"]),
        ({"q": "Läänemaa"}, ["Läänemaa"]),
        ({"q": "tervisenõukogu rahvatervise"}, ["Rõuge vald"]),
        ({"q": "noortekeskuses", "joint_form": JointForm.COOPERATION}, []),
    ],
)
def test_filters(client_for, kov_a, query, places):
    response = client_for(kov_a).get(LIST, query)
    assert sorted(practice.place for practice in response.context["listing"].page) == places


def test_the_not_classified_filter_finds_practices_without_an_approach(client_for, kov_a):
    response = client_for(kov_a).get(LIST, {"approach": "none"})
    assert len(titles(response)) == 9
    assert "Raplamaa" not in [practice.place for practice in response.context["listing"].page]


def test_filter_by_county_and_partner(client_for, kov_a):
    harju = County.objects.get(ehak_code="0037")
    response = client_for(kov_a).get(LIST, {"county": harju.pk})
    assert sorted(p.place for p in response.context["listing"].page) == [
        "Ida-Harju",
        "Keila",
        "Keila linn",
    ]
    ppa = PartnerAgency.objects.get(code="ppa")
    response = client_for(kov_a).get(LIST, {"county": harju.pk, "partner": ppa.pk})
    assert [p.place for p in response.context["listing"].page] == ["Keila linn"]


def test_a_filter_shows_the_classification_badges(client_for, kov_a):
    page = client_for(kov_a, "en").get(LIST, {"approach": "resource_mobilisation"}).content
    page = page.decode()
    assert '<span class="badge text-bg-primary">Communication' in page
    assert '<span class="badge text-bg-info">Resource mobilisation' in page
    assert "1 practice" in page


def test_the_list_pages_by_twenty_and_keeps_the_filter(client_for, ministry):
    rapla = County.objects.get(ehak_code="0071")
    for number in range(25):
        make_practice(None, county=rapla, title=f"Harjutus {number:02}", status="published")
    client = client_for(ministry, "en")
    first = client.get(LIST, {"q": "Harjutus"})
    assert len(first.context["listing"].page) == 20
    assert "Page 1 of 2" in first.content.decode()
    assert "?q=Harjutus&amp;page=2" in first.content.decode()
    second = client.get(LIST, {"q": "Harjutus", "page": 2})
    assert titles(second) == [f"Harjutus {number:02}" for number in range(20, 25)]


def test_the_list_runs_the_same_queries_however_many_practices(
    client_for, ministry, django_assert_num_queries
):
    client = client_for(ministry)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    rapla = County.objects.get(ehak_code="0071")
    partners = list(PartnerAgency.objects.all())
    for number in range(10):
        practice = make_practice(None, county=rapla, title=f"Lisa {number}", status="published")
        practice.partners.set(partners)
    # Session, user, count, the page's rows, their partners, and the filter's choices.
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["listing"].page) == 20


# Access


def test_an_unpublished_practice_of_another_municipality_answers_404(client_for, kov_a, draft_of_b):
    client = client_for(kov_a)
    assert client.get(detail(draft_of_b)).status_code == 404
    assert client.get(reverse("practice_edit", args=[draft_of_b.pk])).status_code == 404
    assert client.post(reverse("practice_submit", args=[draft_of_b.pk])).status_code == 404
    assert draft_of_b.title not in client.get(LIST).content.decode()


def test_ministry_and_the_own_municipality_see_an_unpublished_practice(
    client_for, ministry, admin, kov_b, draft_of_b
):
    for user in (ministry, admin, kov_b):
        response = client_for(user).get(detail(draft_of_b))
        assert response.status_code == 200
        assert "Keila koolide turvalisuspäev" in response.content.decode()
    assert "Keila koolide turvalisuspäev" in client_for(kov_b).get(LIST).content.decode()


def test_a_published_practice_is_read_by_providers_and_other_municipalities(
    client_for, provider, kov_a, kov_b
):
    practice = make_practice(kov_b, title="Keila avatud uste päev", status="published")
    for user in (provider, kov_a):
        response = client_for(user, "en").get(detail(practice))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Keila avatud uste päev" in page
        # Readers who do not keep it are offered no way to change it.
        assert reverse("practice_edit", args=[practice.pk]) not in page
    assert client_for(kov_a).get(reverse("practice_edit", args=[practice.pk])).status_code == 403


def test_providers_do_not_describe_practices(client_for, provider):
    client = client_for(provider)
    assert client.get(reverse("practice_create")).status_code == 403
    assert client.post(reverse("practice_create"), form_data()).status_code == 403
    assert not Practice.objects.filter(title="Külavanemate turvalisusring").exists()


@pytest.mark.parametrize("name", ["practice_publish", "practice_return", "practice_unpublish"])
def test_only_ministry_staff_decide(client_for, kov_a, name):
    practice = make_practice(kov_a, status=Practice.Status.SUBMITTED)
    response = client_for(kov_a).post(reverse(name, args=[practice.pk]), {"comment": "x"})
    assert response.status_code == 403
    practice.refresh_from_db()
    assert practice.status == Practice.Status.SUBMITTED


@pytest.mark.parametrize(
    "name", ["practice_submit", "practice_publish", "practice_return", "practice_unpublish"]
)
def test_state_changes_refuse_get(client_for, ministry, kov_a, name):
    practice = make_practice(kov_a, status=Practice.Status.SUBMITTED)
    assert client_for(ministry).get(reverse(name, args=[practice.pk])).status_code == 405
    practice.refresh_from_db()
    assert practice.status == Practice.Status.SUBMITTED


# Describing


def test_a_municipality_describes_a_practice_and_posted_ids_of_others_are_ignored(
    client_for, kov_a, kov_b
):
    keila = Municipality.objects.get(ehak_code=KEILA_LINN)
    response = client_for(kov_a, "en").post(
        reverse("practice_create"),
        form_data(
            county=keila.county_id,
            municipalities=[keila.pk],
            municipality=keila.pk,
            status="published",
            created_by=kov_b.pk,
        ),
    )
    practice = Practice.objects.get(title="Külavanemate turvalisusring")
    assert response.status_code == 302
    assert response.url == detail(practice)
    assert practice.municipality == kov_a.municipality
    assert practice.county.name == "Rapla maakond"
    assert list(practice.municipalities.all()) == [kov_a.municipality]
    assert practice.status == Practice.Status.DRAFT
    assert practice.created_by == kov_a
    assert list(practice.partners.values_list("code", flat=True)) == ["ppa"]


def test_the_municipality_form_has_no_county_and_suggests_its_place(client_for, kov_a):
    response = client_for(kov_a, "en").get(reverse("practice_create"))
    form = response.context["form"]
    assert "county" not in form.fields
    assert "municipalities" not in form.fields
    assert 'value="Rapla vald"' in response.content.decode()
    assert re.search(r'<label\s+for="id_title"', response.content.decode())
    # The form of joint activity is required: no empty choice among its radio buttons.
    assert 'name="joint_form" value=""' not in response.content.decode()


def test_a_missing_title_saves_nothing_and_keeps_the_typing(client_for, kov_a):
    response = client_for(kov_a, "en").post(
        reverse("practice_create"), form_data(title="", description="Tekst, mis jääb alles.")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "This field is required." in page
    assert "Tekst, mis jääb alles." in page
    assert not Practice.objects.filter(description="Tekst, mis jääb alles.").exists()


def test_the_ministry_names_county_and_municipalities(client_for, ministry):
    ida_viru = County.objects.get(ehak_code="0045")
    toila = Municipality.objects.get(ehak_code="0803")
    response = client_for(ministry, "en").post(
        reverse("practice_create"),
        form_data(county=ida_viru.pk, municipalities=[toila.pk], approach="community_empowerment"),
    )
    practice = Practice.objects.get(title="Külavanemate turvalisusring")
    assert response.status_code == 302
    assert (practice.county, list(practice.municipalities.all())) == (ida_viru, [toila])
    assert practice.municipality is None
    assert practice.approach == Approach.COMMUNITY_EMPOWERMENT


def test_a_municipality_outside_the_county_is_refused_on_the_form(client_for, ministry):
    response = client_for(ministry, "en").post(
        reverse("practice_create"),
        form_data(
            county=County.objects.get(ehak_code="0045").pk,
            municipalities=[Municipality.objects.get(ehak_code="0668").pk],
        ),
    )
    assert response.status_code == 200
    assert "Not in the practice&#x27;s county: Rapla vald." in response.content.decode()
    assert not Practice.objects.filter(title="Külavanemate turvalisusring").exists()


def test_a_municipality_edits_its_draft_but_not_once_published(client_for, kov_a, draft_of_a):
    client = client_for(kov_a, "en")
    url = reverse("practice_edit", args=[draft_of_a.pk])
    assert client.post(url, form_data(title="Rapla ööjalgpall")).status_code == 302
    draft_of_a.refresh_from_db()
    assert draft_of_a.title == "Rapla ööjalgpall"
    Practice.objects.filter(pk=draft_of_a.pk).update(
        status="published", published_at=timezone.now()
    )
    # Not now: the form comes back as it was typed, the reason beside it, and saves nothing.
    response = client.post(url, form_data(title="Veel uuem"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A published practice is changed by ministry staff" in page
    assert 'value="Veel uuem"' in page
    draft_of_a.refresh_from_db()
    assert draft_of_a.title == "Rapla ööjalgpall"
    page = client.get(detail(draft_of_a)).content.decode()
    assert "A published practice is changed by ministry staff" in page
    assert reverse("practice_edit", args=[draft_of_a.pk]) not in page
    # The form itself says why and offers no button to save.
    page = client.get(url).content.decode()
    assert "A published practice is changed by ministry staff" in page
    assert ">Save</button>" not in page


# Publishing


def test_submit_publish_through_the_pages(client_for, kov_a, ministry, provider, draft_of_a):
    response = client_for(kov_a, "en").post(
        reverse("practice_submit", args=[draft_of_a.pk]), follow=True
    )
    assert "The practice was sent to the ministry for publishing." in response.content.decode()
    assert client_for(provider).get(detail(draft_of_a)).status_code == 404
    page = client_for(ministry, "en").get(detail(draft_of_a)).content.decode()
    assert reverse("practice_publish", args=[draft_of_a.pk]) in page
    response = client_for(ministry, "en").post(
        reverse("practice_publish", args=[draft_of_a.pk]), follow=True
    )
    assert "The practice is published." in response.content.decode()
    draft_of_a.refresh_from_db()
    assert draft_of_a.status == Practice.Status.PUBLISHED
    assert draft_of_a.published_by == ministry
    assert client_for(provider).get(detail(draft_of_a)).status_code == 200


def test_publishing_a_draft_is_refused_with_a_message(client_for, ministry, draft_of_a):
    response = client_for(ministry, "en").post(
        reverse("practice_publish", args=[draft_of_a.pk]), follow=True
    )
    assert (
        "Only a practice submitted for publishing can be published; this one is draft."
        in response.content.decode()
    )
    draft_of_a.refresh_from_db()
    assert draft_of_a.status == Practice.Status.DRAFT


def test_return_with_a_comment_goes_back_to_the_municipality(client_for, ministry, kov_a):
    practice = make_practice(kov_a, status=Practice.Status.SUBMITTED)
    client = client_for(ministry, "en")
    url = reverse("practice_return", args=[practice.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    practice.refresh_from_db()
    assert practice.status == Practice.Status.SUBMITTED
    client.post(url, {"comment": "Kirjelda ka tulemusi."})
    practice.refresh_from_db()
    assert practice.status == Practice.Status.RETURNED
    page = client_for(kov_a, "en").get(detail(practice)).content.decode()
    assert "Kirjelda ka tulemusi." in page
    assert reverse("practice_edit", args=[practice.pk]) in page
    assert reverse("practice_submit", args=[practice.pk]) in page


def test_the_ministry_unpublishes(client_for, ministry, provider):
    practice = Practice.objects.get(place="Järvamaa")
    client_for(ministry).post(reverse("practice_unpublish", args=[practice.pk]))
    practice.refresh_from_db()
    assert practice.status == Practice.Status.DRAFT
    assert client_for(provider).get(detail(practice)).status_code == 404


def test_admins_keep_practices_in_django_admin(client_for, admin):
    client = client_for(admin, "en")
    response = client.get(reverse("admin:practices_practice_changelist"))
    assert response.status_code == 200
    assert "Rõuge valla tervisenõukogu" in response.content.decode()
    practice = Practice.objects.get(place="Järvamaa")
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    assert client.get(url).status_code == 200


def test_returning_a_practice_no_longer_submitted_keeps_the_comment(
    client_for, ministry, draft_of_a
):
    response = client_for(ministry, "en").post(
        reverse("practice_return", args=[draft_of_a.pk]), {"comment": "Lisa tulemused."}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Only a practice submitted for publishing can be returned." in page
    assert "Lisa tulemused." in page
    draft_of_a.refresh_from_db()
    assert draft_of_a.status == Practice.Status.DRAFT


def test_the_403_page_says_who_publishes(client_for, kov_a):
    practice = make_practice(kov_a, status=Practice.Status.SUBMITTED)
    response = client_for(kov_a, "en").post(reverse("practice_publish", args=[practice.pk]))
    assert response.status_code == 403
    assert "Only ministry staff publish practices." in response.content.decode()
    page = client_for(kov_a, "en").get(detail(practice)).content.decode()
    assert reverse("practice_publish", args=[practice.pk]) not in page
    assert "The ministry will publish the practice or return it with comments." in page


def test_the_admin_changes_a_practice_but_not_its_status(client_for, admin, kov_a):
    practice = make_practice(kov_a, status=Practice.Status.SUBMITTED)
    client = client_for(admin, "en")
    response = client.get(reverse("admin:practices_practice_change", args=[practice.pk]))
    assert response.status_code == 200
    assert "status" in response.context["adminform"].readonly_fields
    assert 'name="status"' not in response.content.decode()
