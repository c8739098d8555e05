import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from accounts.models import Role, User
from programme.models import Municipality
from tests.factories import PASSWORD, ServiceProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_municipality_user_must_belong_to_a_municipality():
    user = User(email="x@example.org", full_name="X", role=Role.MUNICIPALITY)
    with pytest.raises(ValidationError, match="Omavalitsuse kasutajale tuleb määrata omavalitsus"):
        user.full_clean()
    with pytest.raises(IntegrityError):
        user.save()


def test_ministry_staff_belong_to_no_municipality():
    user = User(
        email="x@example.org",
        full_name="X",
        role=Role.MINISTRY,
        municipality=Municipality.objects.first(),
    )
    with pytest.raises(IntegrityError):
        user.save()


def test_a_provider_user_belongs_to_a_provider():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="p@example.org", full_name="P", role=Role.PROVIDER)
    user = User.objects.create(
        email="p@example.org",
        full_name="P",
        role=Role.PROVIDER,
        service_provider=ServiceProviderFactory(),
    )
    assert user.organisation == user.service_provider


def test_e_mail_is_the_login_and_its_case_does_not_matter(kov_a):
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="TIINA@Rapla.example", password=PASSWORD) == kov_a


def test_the_same_e_mail_in_other_case_cannot_be_registered_twice(kov_a):
    duplicate = User(email="Tiina@RAPLA.example", full_name="Other", role=Role.MINISTRY)
    with pytest.raises(ValidationError, match="kasutaja on juba olemas"):
        duplicate.full_clean()


def test_only_admins_reach_django_admin(admin, ministry, kov_a, provider):
    assert admin.is_staff and admin.has_perm("programme.change_county")
    for user in (ministry, kov_a, provider):
        assert not user.is_staff
        assert not user.has_perm("programme.change_county")


def test_an_inactive_admin_loses_admin_rights(admin):
    admin.is_active = False
    assert not admin.is_staff


class TestWhoSeesWhom:
    def test_municipality_users_see_only_their_colleagues(self, kov_a, kov_b):
        colleague = UserFactory(role=Role.MUNICIPALITY, municipality_code="0668")
        assert set(User.objects.visible_to(kov_a)) == {kov_a, colleague}

    def test_provider_users_see_only_their_organisation(self, provider, kov_a):
        colleague = UserFactory(role=Role.PROVIDER, service_provider=provider.service_provider)
        UserFactory(role=Role.PROVIDER)
        assert set(User.objects.visible_to(provider)) == {provider, colleague}

    def test_ministry_and_admins_see_everyone(self, ministry, admin, kov_a, kov_b, provider):
        everyone = {ministry, admin, kov_a, kov_b, provider}
        assert set(User.objects.visible_to(ministry)) == everyone
        assert set(User.objects.visible_to(admin)) == everyone


class TestWhichMunicipalitiesAreVisible:
    def test_a_municipality_user_sees_only_their_own(self, kov_a):
        assert list(Municipality.objects.visible_to(kov_a)) == [kov_a.municipality]

    def test_ministry_sees_all_79(self, ministry):
        assert Municipality.objects.visible_to(ministry).count() == 79

    def test_a_provider_without_assignments_sees_none(self, provider):
        assert not Municipality.objects.visible_to(provider).exists()
