"""The access rule: a user who may not see an object gets 404, a section not for the role 403."""

import pytest
from django.urls import reverse

from tests.conftest import KEILA_LINN, RAPLA_VALD

pytestmark = pytest.mark.django_db


def municipality_page(code: str) -> str:
    return reverse("municipality_detail", args=[code])


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in [reverse("dashboard"), reverse("people"), municipality_page(RAPLA_VALD)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_a_municipality_user_sees_their_own_municipality(client_for, kov_a):
    response = client_for(kov_a).get(municipality_page(RAPLA_VALD))
    assert response.status_code == 200
    assert kov_a.full_name in response.content.decode()


def test_a_municipality_user_gets_404_for_another_municipality(client_for, kov_a, kov_b):
    response = client_for(kov_a).get(municipality_page(KEILA_LINN))
    assert response.status_code == 404
    assert kov_b.full_name not in response.content.decode()
    assert kov_b.email not in response.content.decode()


def test_an_unassigned_provider_gets_404_for_a_municipality(client_for, provider, kov_a):
    assert client_for(provider).get(municipality_page(RAPLA_VALD)).status_code == 404


@pytest.mark.parametrize("persona", ["ministry", "admin"])
def test_ministry_and_admins_see_every_municipality(persona, request, client_for, kov_a, kov_b):
    client = client_for(request.getfixturevalue(persona))
    assert kov_b.full_name in client.get(municipality_page(KEILA_LINN)).content.decode()
    assert kov_a.full_name in client.get(municipality_page(RAPLA_VALD)).content.decode()


@pytest.mark.parametrize("persona", ["kov_a", "provider"])
def test_programme_wide_lists_are_not_for_municipalities_or_providers(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("municipality_list")).status_code == 403
    assert client.get(reverse("people")).status_code == 403


def test_a_forged_resend_for_someone_else_is_refused(client_for, kov_a, ministry):
    from accounts.models import Invitation

    invitation = Invitation.objects.create(
        user=kov_a, invited_by=ministry, expires_at=kov_a.created_at
    )
    assert (
        client_for(kov_a).post(reverse("invitation_resend", args=[invitation.pk])).status_code
        == 403
    )


def test_resend_takes_a_post(client_for, ministry, kov_a):
    from accounts.models import Invitation

    invitation = Invitation.objects.create(
        user=kov_a, invited_by=ministry, expires_at=kov_a.created_at
    )
    assert (
        client_for(ministry).get(reverse("invitation_resend", args=[invitation.pk])).status_code
        == 405
    )


def test_only_admins_open_django_admin(client_for, admin, ministry, kov_a):
    assert client_for(admin).get(reverse("admin:index")).status_code == 200
    for user in (ministry, kov_a):
        assert client_for(user).get(reverse("admin:index")).status_code == 302
