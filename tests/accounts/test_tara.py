"""Signing in with Estonian eID through TARA, against a real OpenID Connect provider
(oidc-provider, tests/oidc/) that speaks as TARA does: who gets in, who does not and why, the
second factor of staff, and each check of TARA's answer refused with a record in the audit log."""

from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from accounts.models import Invitation, Role, User
from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.oidc.server import Provider

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/accounts/tara/callback/"
JAAK = "EE38001085718"
MARY = "EE60001019906"


@pytest.fixture(autouse=True)
def _in_english(client):
    """The pages and messages are compared in English."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def tara(tara_providers, settings):
    provider = tara_providers.for_redirect_uri(CALLBACK)
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider


def eid_sign_in(
    client: Client, provider: Provider, personal_code: str, **person: str
) -> tuple[str, str]:
    """Choose eID on the sign-in page and authenticate at TARA; the callback's path and query
    as TARA sends the browser back with them."""
    start = client.get(reverse("eid_start"))
    assert start.status_code == 302
    assert urlsplit(start.url).path == "/oidc/authorize"
    back = urlsplit(provider.authenticate(start.url, personal_code=personal_code, **person))
    return back.path, back.query


def callback(client: Client, path: str, query: str, **changed: str):
    query = urlencode({**dict(parse_qsl(query)), **changed})
    return client.get(f"{path}?{query}")


def signed_in_as(client: Client) -> User | None:
    response = client.get(reverse("dashboard"))
    if response.status_code != 200:
        return None
    return response.wsgi_request.user  # type: ignore[return-value]


def invited(personal_code: str, role: Role = Role.MUNICIPALITY, **fields) -> User:
    user = UserFactory(role=role, full_name="Someone Invited", **fields)
    user.set_unusable_password()
    user.save()
    Invitation.objects.create(
        user=user,
        expires_at=timezone.now() + timedelta(days=7),
        personal_code=personal_code,
    )
    return user


def last_refusal() -> AuditEvent:
    return AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).latest("pk")


def test_the_invited_official_signs_in_and_the_account_is_linked(client, tara):
    user = invited(JAAK)

    response = callback(
        client,
        *eid_sign_in(client, tara, JAAK, given_name="JAAK-KRISTJAN", family_name="JÕEORG"),
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert signed_in_as(client) == user
    user.refresh_from_db()
    assert user.personal_code == JAAK
    assert user.full_name == "Jaak-Kristjan Jõeorg"
    assert user.invitation.accepted_at is not None
    sign_in = AuditEvent.objects.filter(action=Action.SIGN_IN).latest("pk")
    assert sign_in.actor == user
    assert sign_in.detail == "signed in with eID"
    assert sign_in.after == {"amr": ["mID"], "acr": "high"}


def test_a_linked_person_signs_in_again_and_goes_where_they_were_going(client, tara, kov_a):
    kov_a.personal_code = MARY
    kov_a.save()
    client.get(reverse("eid_start"), {"next": "/people/?x=1"})  # an unfinished attempt
    start = client.get(reverse("eid_start"), {"next": "/grants/?year=2026"})
    back = urlsplit(tara.authenticate(start.url, personal_code=MARY, means="smartid"))

    response = callback(client, back.path, back.query)

    assert response.url == "/grants/?year=2026"
    assert signed_in_as(client) == kov_a
    kov_a.refresh_from_db()
    assert kov_a.full_name == "Tiina Rapla"  # TARA gave no names: the account's stay


def test_a_stranger_is_refused_and_no_account_is_made(client, tara, in_english):
    users = User.objects.count()

    response = callback(client, *eid_sign_in(client, tara, "EE39912310174"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    page = client.get(response.url)
    assert "There is no Turvaportaal account for your personal code" in page.content.decode()
    assert signed_in_as(client) is None
    assert User.objects.count() == users
    refusal = last_refusal()
    assert refusal.actor_label == "EE39912310174"
    assert refusal.after == {"reason": "no_account", "amr": ["mID"], "acr": "high"}


def test_an_expired_invitation_does_not_link(client, tara):
    user = invited(JAAK)
    Invitation.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(days=1))

    callback(client, *eid_sign_in(client, tara, JAAK))

    assert signed_in_as(client) is None
    assert last_refusal().after["reason"] == "no_account"


def test_a_deactivated_person_is_refused(client, tara, kov_a):
    User.objects.filter(pk=kov_a.pk).update(personal_code=JAAK, is_active=False)

    callback(client, *eid_sign_in(client, tara, JAAK))

    assert signed_in_as(client) is None
    assert last_refusal().after["reason"] == "refused"


def test_staff_at_high_are_not_asked_for_the_second_factor(client, tara, ministry):
    User.objects.filter(pk=ministry.pk).update(personal_code=JAAK)

    callback(client, *eid_sign_in(client, tara, JAAK, acr="high", means="idcard"))

    assert signed_in_as(client) == ministry


def test_staff_at_low_are_asked_for_their_code(client, tara, ministry):
    User.objects.filter(pk=ministry.pk).update(personal_code=JAAK)

    callback(client, *eid_sign_in(client, tara, JAAK, acr="low", means="eIDAS"))

    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))


def test_staff_at_low_are_refused_when_the_setting_says_so(client, tara, ministry, settings):
    settings.TARA_LOW_ASSURANCE_STAFF = "refuse"
    User.objects.filter(pk=ministry.pk).update(personal_code=JAAK)

    callback(client, *eid_sign_in(client, tara, JAAK, acr="low", means="eIDAS"))

    assert signed_in_as(client) is None
    assert last_refusal().after == {"reason": "refused", "amr": ["eIDAS"], "acr": "low"}


def test_a_wrong_state_is_refused(client, tara, kov_a):
    User.objects.filter(pk=kov_a.pk).update(personal_code=JAAK)
    path, query = eid_sign_in(client, tara, JAAK)

    response = callback(client, path, query, state="not-the-one-sent")

    assert response.url == reverse("login")
    assert signed_in_as(client) is None
    assert last_refusal().after == {"reason": "state"}


def test_an_answer_used_once_is_refused_the_second_time(client, tara, kov_a):
    User.objects.filter(pk=kov_a.pk).update(personal_code=JAAK)
    path, query = eid_sign_in(client, tara, JAAK)
    callback(client, path, query)
    client.post(reverse("logout"))

    callback(client, path, query)

    assert signed_in_as(client) is None
    assert last_refusal().after == {"reason": "state"}


def test_an_id_token_with_the_nonce_of_another_sign_in_is_refused(client, tara, kov_a):
    """The code of one sign-in brought back to another one started in the same browser: the
    state matches the second, but the ID token carries the first one's nonce."""
    User.objects.filter(pk=kov_a.pk).update(personal_code=JAAK)
    _path, first = eid_sign_in(client, tara, JAAK)
    path, second = eid_sign_in(client, tara, JAAK)

    callback(client, path, second, code=dict(parse_qsl(first))["code"])

    assert signed_in_as(client) is None
    assert last_refusal().after == {"reason": "nonce"}


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [("expired", "exp"), ("foreign key", "signature"), ("wrong audience", "aud")],
)
def test_a_spoiled_id_token_is_refused(client, tara, kov_a, tamper, reason, in_english):
    User.objects.filter(pk=kov_a.pk).update(personal_code=JAAK)

    response = callback(client, *eid_sign_in(client, tara, JAAK, tamper=tamper))

    assert response.url == reverse("login")
    assert "could not be verified" in client.get(response.url).content.decode()
    assert signed_in_as(client) is None
    assert last_refusal().after == {"reason": reason}


def test_a_token_of_another_issuer_is_refused(client, tara, kov_a, settings):
    """The portal expects TARA by the address it was given; the same server under another name
    issues tokens that are not TARA's to the portal."""
    settings.TARA_ISSUER = tara.issuer.replace("127.0.0.1", "localhost")
    User.objects.filter(pk=kov_a.pk).update(personal_code=JAAK)

    callback(client, *eid_sign_in(client, tara, JAAK))

    assert signed_in_as(client) is None
    assert last_refusal().after == {"reason": "iss"}


def test_cancelling_at_tara_signs_no_one_in(client, tara, in_english):
    start = client.get(reverse("eid_start"))
    state = dict(parse_qsl(urlsplit(start.url).query))["state"]

    response = client.get(reverse("eid_callback"), {"error": "user_cancel", "state": state})

    assert response.url == reverse("login")
    assert "cancelled" in client.get(response.url).content.decode()


def test_new_signing_keys_of_tara_are_fetched(client, tara_providers, settings, kov_a):
    """TARA rotates its keys: a token signed with a key the portal has not seen yet makes it
    fetch the published keys again."""
    provider = Provider(CALLBACK).start()
    try:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        User.objects.filter(pk=kov_a.pk).update(personal_code=JAAK)
        callback(client, *eid_sign_in(client, provider, JAAK))
        assert signed_in_as(client) == kov_a
        client.post(reverse("logout"))

        provider.restart()
        callback(client, *eid_sign_in(client, provider, JAAK))

        assert signed_in_as(client) == kov_a
    finally:
        provider.stop()


def test_without_tara_answering_the_button_says_so_and_passwords_work(client, settings, kov_a):
    settings.TARA_ISSUER = "http://127.0.0.1:9"  # the discard port: nothing answers
    settings.TARA_CLIENT_ID = "turvaportaal"

    with override("en"):
        page = client.get(reverse("login"))
        assert page.status_code == 200
        assert 'data-eid="unavailable"' in page.content.decode()
        start = client.get(reverse("eid_start"), follow=True)
        assert start.status_code == 200
        assert "unavailable at the moment" in start.content.decode()

    response = client.post(reverse("login"), {"username": kov_a.email, "password": PASSWORD})
    assert response.url == reverse("dashboard")


def test_without_settings_there_is_no_eid_button(client, settings):
    settings.TARA_ISSUER = ""

    assert "data-eid" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("eid_start")).status_code == 404
    assert client.get(reverse("eid_callback")).status_code == 404


def test_the_button_is_offered_when_tara_answers(client, tara):
    page = client.get(reverse("login"), {"next": "/people/"})

    assert 'data-eid="available"' in page.content.decode()
    assert f"{reverse('eid_start')}?next=/people/" in page.content.decode()


def test_password_sign_in_can_be_switched_off_for_a_role(client, settings, ministry, kov_a):
    settings.PASSWORD_SIGN_IN_OFF_FOR = [Role.MINISTRY]

    with override("en"):
        refused = client.post(reverse("login"), {"username": ministry.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert "sign in with Estonian eID" in refused.content.decode()
    allowed = client.post(reverse("login"), {"username": kov_a.email, "password": PASSWORD})
    assert allowed.status_code == 302


def test_an_invitation_carries_the_personal_code_typed_with_or_without_ee(
    client_for, ministry, django_capture_on_commit_callbacks
):
    client = client_for(ministry, "en")
    form = {
        "email": "uus@rapla.example",
        "full_name": "Uus Ametnik",
        "role": Role.MINISTRY,
        "language": "et",
        "personal_code": " 380 0108 5718 ",
    }

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("invite"), form).status_code == 302

    assert Invitation.objects.get(user__email="uus@rapla.example").personal_code == JAAK
    [message] = mail.outbox
    assert "(TARA)" in message.body


@pytest.mark.parametrize(
    ("typed", "code"), [("38001085719", "control_digit"), ("EE123", "format"), ("x", "format")]
)
def test_a_wrong_personal_code_is_told_and_the_form_keeps_what_was_typed(
    client_for, ministry, typed, code
):
    form = {"email": "uus@rapla.example", "full_name": "Uus Ametnik", "role": Role.MINISTRY}

    response = client_for(ministry, "en").post(
        reverse("invite"), {**form, "language": "et", "personal_code": typed}
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("personal_code", code)
    assert f'value="{typed}"' in response.content.decode()
    assert not User.objects.filter(email="uus@rapla.example").exists()


def test_a_personal_code_given_to_another_person_is_refused(client_for, ministry, kov_a):
    User.objects.filter(pk=kov_a.pk).update(personal_code=JAAK)
    form = {"email": "uus@rapla.example", "full_name": "Uus Ametnik", "role": Role.MINISTRY}

    response = client_for(ministry, "en").post(
        reverse("invite"), {**form, "language": "et", "personal_code": "EE38001085718"}
    )

    assert response.context["form"].has_error("personal_code", "unique")
