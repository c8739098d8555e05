"""Signing in and out, and failed sign-ins, as Django announces them."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from audit.models import Action
from audit.services import record


def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # A sign-in other than with the password says how on the user it signs in (the eID
    # sign-in: its means and level of assurance).
    record(
        request if request is not None else user,
        Action.SIGN_IN,
        detail=getattr(user, "sign_in_detail", ""),
        after=getattr(user, "sign_in_facts", None),
    )


def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:  # signing out when not signed in is no event
        return
    record(request if request is not None else user, Action.SIGN_OUT, actor_label=user.email)


def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in ``credentials``; the e-mail is kept as typed.
    typed = str(credentials.get("username") or credentials.get("email") or "")
    record(request, Action.SIGN_IN_FAILED, actor_label=typed)


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="audit_sign_in")
    user_logged_out.connect(_signed_out, dispatch_uid="audit_sign_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit_sign_in_failed")
