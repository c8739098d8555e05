"""Signing in test clients the way people sign in, for the tests and the benchmarks.

Ministry staff and admins get a confirmed TOTP device and a session verified by it, exactly as
the code page leaves it (django-otp's session key naming the device), so that tests go through
SecondFactorMiddleware instead of around it.
"""

import time

from django.contrib.sessions.backends.base import SessionBase
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import sessions, twofactor
from accounts.models import User


def totp_device(user: User) -> TOTPDevice:
    """The person's confirmed device, made for them if they have none."""
    return twofactor.confirmed_device(user) or TOTPDevice.objects.create(
        user=user, name=twofactor.DEVICE_NAME, confirmed=True
    )


def current_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows now.

    A code is accepted once: if this time step's code was used already, the next step's is given
    (the device takes one step of clock difference), or the next step is waited for.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while device.last_t >= totp.t() + device.tolerance:
        time.sleep(1)
    wanted = max(totp.t(), device.last_t + 1)
    totp.time = time.time() + device.step * (wanted - totp.t())
    return f"{totp.token():0{device.digits}d}"


def enter_second_factor(session: SessionBase, user: User) -> None:
    """Mark a signed-in session of ministry staff or an admin as verified by their device, as the
    code page does; other people's sessions stay as they are."""
    if user.is_second_factor_required:
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id


def force_login(client: Client, user: User) -> Client:
    """Sign the client in as the user, with the second factor entered if they need one."""
    client.force_login(user)
    session = client.session
    enter_second_factor(session, user)
    # As the sign-in request leaves it: noted, and for staff the clock started, so that the
    # first request asks the database what every later one does.
    sessions.note_request(user, session, timezone.now())
    session.save()
    return client
