"""Ministry staff and admins sign in with a TOTP code as well; their sessions are short; a
deactivated person is signed out everywhere."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import sessions
from accounts.models import UserSession
from accounts.services import deactivate_user
from accounts.testing import current_code, force_login, totp_device
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = reverse("two_factor_setup")
VERIFY = reverse("two_factor_verify")


@pytest.fixture(autouse=True)
def _estonian_again_after_each_test():
    """A request of an English client leaves English active in the thread; tests that follow
    expect the portal's default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def password_only(user) -> Client:
    """Signed in with the password, the second factor not yet entered."""
    client = english_client()
    client.force_login(user)
    return client


def sign_in(client: Client, user, next_url: str = "") -> None:
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    assert client.post(reverse("login"), data).status_code == 302


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 1) % 1_000_000:06d}"


def path_and_next(response) -> tuple[str, str | None]:
    target = urlsplit(response.url)
    return target.path, parse_qs(target.query).get("next", [None])[0]


# ---------------------------------------------------------------------------------------------
# Setting up the app
# ---------------------------------------------------------------------------------------------


def test_staff_without_a_device_are_sent_to_set_one_up(ministry):
    client = password_only(ministry)
    response = client.get(reverse("call_list"))
    assert response.status_code == 302
    assert path_and_next(response) == (SETUP, reverse("call_list"))


def test_the_set_up_page_shows_a_qr_code_and_the_secret_to_type_in(ministry):
    response = password_only(ministry).get(SETUP)
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=ministry, confirmed=False)
    page = response.content.decode()
    assert '<svg width="' in page and 'class="qr-code"' in page
    assert response.context["secret"] in page
    assert len(response.context["secret"]) == 32
    # The Content-Security-Policy forbids inline styles: the SVG must not need any.
    assert "style=" not in page
    # The same secret on the next visit: what the app scanned stays valid.
    assert password_only(ministry).get(SETUP).context["secret"] == response.context["secret"]
    assert TOTPDevice.objects.filter(user=ministry).count() == 1
    assert not device.confirmed


def test_set_up_refuses_a_wrong_code_and_accepts_the_right_one(ministry):
    client = password_only(ministry)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=ministry)
    response = client.post(SETUP, {"code": wrong_code(device), "next": reverse("call_list")})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1

    # The wrong code made the next try wait a second; here the second has passed.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=2)
    )
    response = client.post(SETUP, {"code": current_code(device), "next": reverse("call_list")})
    assert response.status_code == 302 and response.url == reverse("call_list")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("call_list")).status_code == 200


def test_a_code_in_the_wrong_shape_is_refused_before_it_is_tried(ministry):
    client = password_only(ministry)
    response = client.get(SETUP)
    response = client.post(SETUP, {"code": "12ab"})
    assert "Enter the 6 digits of the code." in response.content.decode()
    assert TOTPDevice.objects.get(user=ministry).throttling_failure_count == 0


def test_set_up_is_not_shown_again_to_staff_who_have_a_device(ministry):
    totp_device(ministry)
    response = password_only(ministry).get(SETUP + "?next=/people/")
    assert path_and_next(response) == (VERIFY, "/people/")


# ---------------------------------------------------------------------------------------------
# Entering the code
# ---------------------------------------------------------------------------------------------


def test_staff_with_a_device_are_asked_for_the_code(ministry):
    totp_device(ministry)
    response = password_only(ministry).get(reverse("dashboard"))
    assert path_and_next(response) == (VERIFY, reverse("dashboard"))


def test_a_wrong_code_says_so_and_the_right_one_lets_in(ministry):
    device = totp_device(ministry)
    client = password_only(ministry)
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert client.get(reverse("call_list")).status_code == 302

    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=2)
    )
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert client.get(reverse("call_list")).status_code == 200


def test_wrong_codes_in_a_row_make_even_the_right_code_wait(ministry):
    device = totp_device(ministry)
    client = password_only(ministry)
    client.post(VERIFY, {"code": wrong_code(device)})
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.status_code == 200
    assert "Too many wrong codes in a row. Wait 1 second" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the refused try is not counted again
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_code_works_once(ministry):
    device = totp_device(ministry)
    code = current_code(device)
    assert password_only(ministry).post(VERIFY, {"code": code}).status_code == 302
    response = password_only(ministry).post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()


def test_signing_in_keeps_the_page_asked_for(ministry):
    device = totp_device(ministry)
    client = english_client()
    calls = reverse("call_list")
    response = client.get(calls)
    assert path_and_next(response) == (reverse("login"), calls)
    response = client.post(
        reverse("login"), {"username": ministry.email, "password": PASSWORD, "next": calls}
    )
    assert response.url == calls
    response = client.get(calls)
    assert path_and_next(response) == (VERIFY, calls)
    page = client.get(response.url)
    assert f'name="next" value="{calls}"' in page.content.decode()
    response = client.post(VERIFY, {"code": current_code(device), "next": calls})
    assert response.url == calls
    assert client.get(calls).status_code == 200


def test_a_next_to_another_site_is_not_followed(ministry):
    device = totp_device(ministry)
    response = password_only(ministry).post(
        VERIFY, {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response.url == reverse("dashboard")


def test_entering_the_code_gives_the_session_a_new_key(ministry):
    device = totp_device(ministry)
    client = password_only(ministry)
    client.get(VERIFY)
    before = client.session.session_key
    client.post(VERIFY, {"code": current_code(device)})
    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert list(
        UserSession.objects.filter(user=ministry).values_list("session_key", flat=True)
    ) == [after]


# ---------------------------------------------------------------------------------------------
# Until the code is in, nothing else
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ministry", "admin"])
def test_staff_without_the_code_reach_no_page(persona, request):
    user = request.getfixturevalue(persona)
    totp_device(user)
    client = password_only(user)
    for url in [
        reverse("dashboard"),
        reverse("municipality_list"),
        reverse("ledger_overview"),
        reverse("report_status", args=[1]),  # JSON
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("password_change"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert path_and_next(response) == (VERIFY, url)
    # A form posted without the code changes nothing: the post is sent to the code page.
    response = client.post(reverse("call_create"), {"title": "x"})
    assert response.status_code == 302 and response.url == VERIFY


def test_staff_without_the_code_may_sign_out_and_switch_language(ministry):
    client = password_only(ministry)
    response = client.post(reverse("set_language"), {"language": "et", "next": SETUP})
    assert response.status_code == 302 and response.url == SETUP
    assert client.post(reverse("logout")).status_code == 302
    assert path_and_next(client.get(SETUP))[0] == reverse("login")


def test_the_admin_login_does_not_skip_the_code(admin):
    totp_device(admin)
    client = english_client()
    response = client.post(
        reverse("admin:login"),
        {"username": admin.email, "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    response = client.get(reverse("admin:index"))
    assert path_and_next(response) == (VERIFY, reverse("admin:index"))


def test_a_deleted_device_undoes_the_verification(ministry):
    """An administrator who deletes a lost device sends its owner to set up a new one."""
    client = force_login(english_client(), ministry)
    assert client.get(reverse("call_list")).status_code == 200
    TOTPDevice.objects.filter(user=ministry).delete()
    assert path_and_next(client.get(reverse("call_list")))[0] == SETUP


@pytest.mark.parametrize("persona", ["kov_a", "provider"])
def test_other_roles_are_not_asked_for_a_code(persona, request):
    user = request.getfixturevalue(persona)
    client = english_client()
    sign_in(client, user)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(SETUP).url == reverse("dashboard")
    assert client.get(VERIFY).url == reverse("dashboard")
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_the_rule_is_ministry_staff_and_admins(kov_a, provider, ministry, admin):
    from tests.factories import UserFactory

    evaluator = UserFactory(role="county_evaluator", county=kov_a.municipality.county)
    assert ministry.is_second_factor_required and admin.is_second_factor_required
    assert not any(u.is_second_factor_required for u in (kov_a, provider, evaluator))


# ---------------------------------------------------------------------------------------------
# Staff sessions: 30 minutes idle, 12 hours in all
# ---------------------------------------------------------------------------------------------


def move_back(client: Client, name: str, by: timedelta) -> None:
    """Move a time kept in the session into the past, as if that much time had passed."""
    session = client.session
    session[name] = (datetime.fromisoformat(session[name]) - by).isoformat()
    session.save()


def test_a_staff_session_ends_after_30_minutes_without_a_request(ministry):
    client = force_login(english_client(), ministry)
    assert client.get(reverse("call_list")).status_code == 200
    assert client.session.get_expiry_age() == 30 * 60  # the cookie and the stored row as well
    move_back(client, sessions.SEEN_AT, timedelta(minutes=29))
    assert client.get(reverse("call_list")).status_code == 200  # activity restarts the clock
    move_back(client, sessions.SEEN_AT, timedelta(minutes=30))
    key = client.session.session_key
    response = client.get(reverse("call_list"), follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('login')}?next={reverse('call_list')}"
    assert "staff sessions end after 30 minutes without activity" in response.content.decode()
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_staff_session_ends_12_hours_after_signing_in_however_busy(admin):
    client = force_login(english_client(), admin)
    assert client.get(reverse("dashboard")).status_code == 200
    move_back(client, sessions.SIGNED_IN_AT, timedelta(hours=11, minutes=50))
    assert client.get(reverse("dashboard")).status_code == 200
    # Ten minutes are left of the twelve hours: the session is given no more.
    assert 9 * 60 <= client.session.get_expiry_age() <= 10 * 60
    move_back(client, sessions.SIGNED_IN_AT, timedelta(minutes=10))
    response = client.get(reverse("dashboard"))
    assert path_and_next(response) == (reverse("login"), reverse("dashboard"))


def test_signing_in_again_starts_a_new_twelve_hours(ministry):
    client = force_login(english_client(), ministry)
    client.get(reverse("dashboard"))
    move_back(client, sessions.SIGNED_IN_AT, timedelta(hours=12))
    client.get(reverse("dashboard"))
    force_login(client, ministry)
    assert client.get(reverse("dashboard")).status_code == 200


def test_other_roles_keep_the_long_session(kov_a):
    client = english_client()
    sign_in(client, kov_a)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert sessions.SEEN_AT not in client.session


# ---------------------------------------------------------------------------------------------
# Deactivation ends every session
# ---------------------------------------------------------------------------------------------


def test_deactivating_a_user_ends_all_their_sessions(ministry, kov_a):
    laptop, phone = force_login(english_client(), ministry), force_login(english_client(), ministry)
    other = force_login(english_client(), kov_a)
    for client in (laptop, phone, other):
        assert client.get(reverse("dashboard")).status_code == 200
    keys = [laptop.session.session_key, phone.session.session_key]
    assert set(UserSession.objects.filter(user=ministry).values_list("session_key", flat=True)) == (
        set(keys)
    )

    deactivate_user(user=ministry)

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=ministry).exists()
    for client in (laptop, phone):
        assert path_and_next(client.get(reverse("call_list")))[0] == reverse("login")
    assert other.get(reverse("dashboard")).status_code == 200


def test_the_admin_deactivates_with_the_checkbox_or_the_action(admin, kov_a, kov_b):
    admin_client = force_login(english_client(), admin)
    kov_a_client = english_client()
    sign_in(kov_a_client, kov_a)
    kov_b_client = english_client()
    sign_in(kov_b_client, kov_b)

    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [kov_a.pk]},
    )
    assert response.status_code == 302
    kov_a.refresh_from_db()
    assert not kov_a.is_active
    assert path_and_next(kov_a_client.get(reverse("dashboard")))[0] == reverse("login")

    change = reverse("admin:accounts_user_change", args=[kov_b.pk])
    # The change form as saved with "active" unticked (an unticked box is not sent).
    data = {
        "email": kov_b.email,
        "full_name": kov_b.full_name,
        "position": kov_b.position,
        "language": kov_b.language,
        "role": kov_b.role,
        "municipality": kov_b.municipality_id,
    }
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    kov_b.refresh_from_db()
    assert not kov_b.is_active
    assert not UserSession.objects.filter(user=kov_b).exists()
    assert path_and_next(kov_b_client.get(reverse("dashboard")))[0] == reverse("login")


def test_an_administrator_cannot_deactivate_their_own_account(admin, kov_a):
    client = force_login(english_client(), admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [admin.pk, kov_a.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    admin.refresh_from_db()
    kov_a.refresh_from_db()
    assert admin.is_active and not kov_a.is_active
    # On their own change form the role and "active" are shown, not offered.
    own = client.get(reverse("admin:accounts_user_change", args=[admin.pk]))
    fields = own.context["adminform"].form.fields
    assert "is_active" not in fields and "role" not in fields
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_deactivate_action_says_why_it_left_a_person_as_they_were(admin, kov_a, kov_b):
    kov_b.is_active = False
    kov_b.save(update_fields=["is_active"])
    client = force_login(english_client(), admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [kov_a.pk, kov_b.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Kalle Keila (kalle@keila.example): This person is inactive already." in page
    assert "1 user deactivated." in page
    kov_a.refresh_from_db()
    assert not kov_a.is_active


def test_deactivating_asks_the_rule_of_who_does_it(ministry, kov_a):
    from turvaportaal.lib.rules import Forbidden

    with (
        translation.override("en"),
        pytest.raises(Forbidden, match="Only an administrator deactivates a person."),
    ):
        deactivate_user(user=kov_a, by=ministry)
    kov_a.refresh_from_db()
    assert kov_a.is_active


def test_notes_of_ended_sessions_are_dropped_at_the_next_sign_in(kov_a):
    first = english_client()
    sign_in(first, kov_a)
    first.get(reverse("dashboard"))
    first.post(reverse("logout"))
    second = english_client()
    sign_in(second, kov_a)
    assert list(UserSession.objects.filter(user=kov_a).values_list("session_key", flat=True)) == [
        second.session.session_key
    ]


# ---------------------------------------------------------------------------------------------
# The demo
# ---------------------------------------------------------------------------------------------


def test_the_demo_staff_sign_in_with_the_published_secret():
    from base64 import b32decode
    from io import StringIO

    from django.core.management import call_command
    from django_otp.oath import TOTP

    from accounts.models import User
    from demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

    output = StringIO()
    call_command("seed_demo", stdout=output)
    call_command("seed_demo", stdout=output)  # again: still one device each
    assert f"oathtool --totp -b {DEMO_TOTP_SECRET}" in output.getvalue()
    assert TOTPDevice.objects.filter(user__email="kov-0668@example.org").count() == 0
    ministry = User.objects.get(email="ministry@example.org")
    assert TOTPDevice.objects.get(user=ministry).confirmed

    client = english_client()
    client.post(reverse("login"), {"username": ministry.email, "password": DEMO_PASSWORD})
    assert path_and_next(client.get(reverse("dashboard")))[0] == VERIFY
    code = f"{TOTP(b32decode(DEMO_TOTP_SECRET)).token():06d}"
    assert client.post(VERIFY, {"code": code}).url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_an_admin_sees_the_devices_without_their_secrets_and_can_delete_one(admin, ministry):
    device = totp_device(ministry)
    client = force_login(english_client(), admin)
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert listing.status_code == 200 and ministry.email in listing.content.decode()
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key not in change.content.decode()
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=ministry).exists()
