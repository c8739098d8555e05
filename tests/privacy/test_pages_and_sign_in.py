"""The public pages, the access-request pages, and the sign-in hardening."""

import io
import zipfile

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from accounts import throttle
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("path", ["/ligipaasetavus/", "/privaatsus/", "/kupsised/"])
@pytest.mark.parametrize("language", ["et", "en"])
def test_the_public_pages_open_without_signing_in_and_are_linked_from_the_footer(path, language):
    client = Client()
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    page = response.content.decode()
    for linked in ("/ligipaasetavus/", "/privaatsus/", "/kupsised/"):
        assert f'href="{linked}"' in page
    # A public page may be cached; a signed-in one may not.
    assert "no-store" not in response.get("Cache-Control", "")


def test_signed_in_pages_and_downloads_are_not_stored(client_for, kov_a, admin):
    page = client_for(kov_a).get("/")
    assert "no-store" in page["Cache-Control"]
    kov_a.is_active = False
    kov_a.save()
    export = client_for(admin).get(f"/people/{kov_a.pk}/personal-data/export/")
    assert export.status_code == 200
    assert "no-store" in export["Cache-Control"]
    assert "accounts.user.json" in zipfile.ZipFile(io.BytesIO(export.content)).namelist()


def test_only_administrators_open_a_persons_data(client_for, kov_a, ministry, admin):
    for path in ("", "export/", "erase/"):
        url = f"/people/{kov_a.pk}/personal-data/{path}"
        assert client_for(ministry).get(url).status_code == 403
        assert client_for(kov_a).get(url).status_code == 403
    assert client_for(admin).get(f"/people/{kov_a.pk}/personal-data/").status_code == 200


def test_erasure_asks_for_confirmation_then_erases(client_for, kov_a, admin):
    kov_a.is_active = False
    kov_a.save()
    client = client_for(admin, "en")
    url = f"/people/{kov_a.pk}/personal-data/erase/"
    refused = client.post(url, {})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Confirm that the law allows the erasure." in page
    kov_a.refresh_from_db()
    assert kov_a.email == "tiina@rapla.example"
    done = client.post(url, {"confirm": "on"})
    assert done.status_code == 302
    kov_a.refresh_from_db()
    assert kov_a.email.startswith("person-")


def test_password_reset_sends_a_few_mails_an_hour_and_answers_the_same(kov_a):
    client = Client()
    answers = {
        client.post("/accounts/password_reset/", {"email": kov_a.email}).url for _ in range(21)
    }
    nobody = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert answers == {nobody.url}
    assert len(mail.outbox) == 3


def test_password_reset_is_limited_per_address(settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    people = [UserFactory(email=f"p{n}@rapla.example") for n in range(4)]
    client = Client()
    for person in people:
        assert client.post("/accounts/password_reset/", {"email": person.email}).status_code == 302
    assert len(mail.outbox) == 2


def test_many_failures_for_one_account_slow_it_down_without_locking_it(settings, kov_a):
    settings.SIGN_IN_DELAY_AFTER = 3
    for n in range(3):
        Client(REMOTE_ADDR=f"10.1.0.{n}").post(
            "/accounts/login/", {"username": kov_a.email, "password": "vale"}
        )
    assert throttle.seconds_to_wait(kov_a.email) > 0
    # From a new address, the right password too must wait its turn, and is told so.
    client = Client(REMOTE_ADDR="10.2.0.1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    waiting = client.post("/accounts/login/", {"username": kov_a.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many wrong passwords for this account." in waiting.content.decode()
    # Once the wait is over, it goes through: no lock.
    cache.set(throttle._key("sign-in-last", kov_a.email), 0.0)
    assert throttle.seconds_to_wait(kov_a.email) == 0
    client.post("/accounts/login/", {"username": kov_a.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(kov_a.pk)
    assert throttle.seconds_to_wait(kov_a.email) == 0


def test_the_wait_grows_and_has_a_ceiling(settings):
    settings.SIGN_IN_DELAY_AFTER = 2
    settings.SIGN_IN_DELAY_MAX_SECONDS = 60
    key = throttle._key
    cache.set(key("sign-in-last", "a@b.example"), 1000.0)
    waits = []
    for failures in (1, 2, 3, 4, 10):
        cache.set(key("sign-in-failures", "a@b.example"), failures)
        waits.append(throttle.seconds_to_wait("a@b.example", now=1000.0))
    assert waits == [0, 2, 4, 8, 60]


# Nothing listens there.
UNREACHABLE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def test_without_the_cache_the_limits_give_way_and_the_pages_work(kov_a):
    client = Client()
    with override_settings(CACHES=UNREACHABLE):
        assert client.post("/accounts/password_reset/", {"email": kov_a.email}).status_code == 302
        assert len(mail.outbox) == 1
        client.post("/accounts/login/", {"username": kov_a.email, "password": "vale"})
        client.post("/accounts/login/", {"username": kov_a.email, "password": PASSWORD})
        assert client.session["_auth_user_id"] == str(kov_a.pk)
