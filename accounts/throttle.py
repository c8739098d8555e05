"""Sign-in hardening beside the per-address lockout of django-axes.

- Password reset sends at most PASSWORD_RESET_PER_ACCOUNT e-mails an hour to one person and
  takes PASSWORD_RESET_PER_ADDRESS requests an hour from one address; the page that follows says
  the same thing either way, so it tells nothing about who has an account.
- The counts live in the cache (Redis). Should it be unreachable, the limits are not applied
  rather than the pages failing; the per-address lockout, in the database, still is.
- Wrong passwords for one account from any number of addresses, past SIGN_IN_DELAY_AFTER in an
  hour, make each further try wait: 2, 4, 8 ... seconds after the last failure, at most
  SIGN_IN_DELAY_MAX_SECONDS. The account slows down but is never locked, so that no one can lock
  a person out by guessing at their password.
"""

import hashlib
import logging
import time
from collections.abc import Iterator
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext
from redis.exceptions import RedisError

from accounts.access import login_attempt_username

HOUR = 60 * 60
logger = logging.getLogger(__name__)


def _key(kind: str, value: str) -> str:
    return f"throttle:{kind}:" + hashlib.sha256(value.strip().lower().encode()).hexdigest()


def _count(key: str) -> int:
    """One more in this hour's window for the key; the count so far (0: no cache to count in)."""
    try:
        cache.add(key, 0, timeout=HOUR)
        try:
            return int(cache.incr(key))
        except ValueError:  # the window ended between the two calls
            cache.add(key, 1, timeout=HOUR)
            return 1
    except (RedisError, OSError):
        logger.warning("The cache is unavailable; %s was not counted.", key, exc_info=True)
        return 0


def _within_limit(key: str, limit: int) -> bool:
    return _count(key) <= limit


class LimitedPasswordResetForm(PasswordResetForm):
    def get_users(self, email: str) -> Iterator[Any]:
        for user in super().get_users(email):
            if _within_limit(
                _key("reset-account", str(user.pk)), settings.PASSWORD_RESET_PER_ACCOUNT
            ):
                yield user


class LimitedPasswordResetView(auth_views.PasswordResetView):
    form_class = LimitedPasswordResetForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # The address as the lockout sees it, behind the proxy too.
        address = get_client_ip_address(self.request) or ""
        if not _within_limit(_key("reset-address", address), settings.PASSWORD_RESET_PER_ADDRESS):
            # The same page as a reset sent: nothing to learn from the answer.
            return super(auth_views.PasswordResetView, self).form_valid(form)
        return super().form_valid(form)


def seconds_to_wait(username: str, now: float | None = None) -> int:
    """How long the account's next sign-in must wait; 0 when it may be tried now."""
    try:
        failures = cache.get(_key("sign-in-failures", username)) or 0
        last = cache.get(_key("sign-in-last", username)) or 0.0
    except (RedisError, OSError):
        logger.warning("The cache is unavailable; no sign-in delay.", exc_info=True)
        return 0
    over = failures - settings.SIGN_IN_DELAY_AFTER
    if over < 0:
        return 0
    wait = min(2 ** (over + 1), settings.SIGN_IN_DELAY_MAX_SECONDS)
    return max(0, int(last + wait - (now if now is not None else time.time()) + 0.999))


class AccountDelayBackend:
    """Asked first: refuses a sign-in that comes before the account's wait is over, without
    trying the password. It signs no one in, and has no get_user: a session is never its."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        username = credentials.get("username")
        if not username:
            return None
        wait = seconds_to_wait(username)
        if wait:
            if request is not None:
                request._sign_in_delayed = True  # type: ignore[attr-defined]
                messages.error(
                    request,
                    ngettext(
                        "Too many wrong passwords for this account. Try again in %(seconds)d "
                        "second.",
                        "Too many wrong passwords for this account. Try again in %(seconds)d "
                        "seconds.",
                        wait,
                    )
                    % {"seconds": wait},
                )
            raise PermissionDenied
        return None


@receiver(user_login_failed)
def count_failure(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kw: Any
) -> None:
    """A wrong password for an account, from any address; a try refused for the wait is not one."""
    if request is not None and getattr(request, "_sign_in_delayed", False):
        return
    username = (request and login_attempt_username(request, credentials)) or credentials.get(
        "username"
    )
    if not username:
        return
    if _count(_key("sign-in-failures", username)):
        cache.set(_key("sign-in-last", username), time.time(), timeout=HOUR)


@receiver(user_logged_in)
def clear_failures(sender: Any, request: HttpRequest | None, user: Any, **kw: Any) -> None:
    try:
        cache.delete_many([_key("sign-in-failures", user.email), _key("sign-in-last", user.email)])
    except (RedisError, OSError):
        logger.warning("The cache is unavailable; sign-in failures not cleared.", exc_info=True)
