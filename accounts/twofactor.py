"""The second factor of ministry staff and admins: a TOTP device (django-otp) per person.

Who must use one is ``User.is_second_factor_required``; SecondFactorMiddleware keeps such a
person on the set-up or code page until a code is entered in the session. A sign-in with eID
(TARA) at the substantial or high level of assurance is the second factor itself.
"""

import math
from base64 import b32decode, b32encode

import segno
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import tara
from accounts.models import User
from audit.services import record_change

DEVICE_NAME = "authenticator"


def is_second_factor_missing(user: object, session: SessionBase) -> bool:
    """A signed-in person who must use a second factor and has not entered a code since signing
    in, nor signed in with eID at a level that is a second factor itself."""
    if not isinstance(user, User) or not user.is_second_factor_required:
        return False
    if session.get(tara.LEVEL_SESSION_KEY) in tara.SECOND_FACTOR_LEVELS:
        return False
    # OTPMiddleware sets otp_device to the device that verified this sign-in, or None.
    return getattr(user, "otp_device", None) is None


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def device_to_set_up(user: User) -> TOTPDevice:
    """The new device the set-up page shows: the same secret until a code confirms it."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def check_code(*, device: TOTPDevice, code: str) -> TOTPDevice:
    """Accept a code of the device once, or say why not.

    Each wrong code doubles the wait before the next try (django-otp's throttling, kept on the
    device row), so guessing six digits takes years.
    """
    with transaction.atomic():
        # Locked so that two tries at once cannot both pass or skip the throttle.
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        is_allowed, details = device.verify_is_allowed()
        # A wrong code is counted on the row: the error is raised after the transaction.
        is_accepted = is_allowed and device.verify_token(code)
    if not is_allowed:
        wait = (details or {}).get("locked_until", timezone.now()) - timezone.now()
        seconds = max(math.ceil(wait.total_seconds()), 1)
        raise ValidationError(
            ngettext(
                "Too many wrong codes in a row. Wait %(seconds)d second and try again.",
                "Too many wrong codes in a row. Wait %(seconds)d seconds and try again.",
                seconds,
            )
            % {"seconds": seconds},
            code="throttled",
        )
    if not is_accepted:
        raise ValidationError(
            _(
                "This code is not right. Enter the 6-digit code your authenticator app shows "
                "now; each code works once."
            ),
            code="invalid",
        )
    return device


def confirm_device(*, device: TOTPDevice, code: str) -> TOTPDevice:
    """Take a new device into use with its first code; other unfinished set-ups are dropped."""
    device = check_code(device=device, code=code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
        record_change(
            device.user,
            device,
            gettext_noop("second factor set up"),
            before={"confirmed": False},
            after={"confirmed": True},
        )
    return device


def set_known_device(*, user: User, secret: str) -> TOTPDevice:
    """Give the user one confirmed device with the given base32 secret (the demo accounts, whose
    secret is published). Run again, it keeps the device, so signed-in sessions stay valid."""
    key = b32decode(secret).hex()
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(key=key, confirmed=True).delete()
        device = TOTPDevice.objects.filter(user=user).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The device's secret in base32, as authenticator apps take it when typed in."""
    return b32encode(device.bin_key).decode()


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// link of the device as an SVG QR code for an authenticator app to scan."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, light="#fff", svgclass="qr-code", title=_("QR code for your authenticator app")
    )
