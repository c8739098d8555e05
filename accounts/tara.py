"""Sign-in with Estonian eID through TARA, the authentication service of the Information System
Authority (RIA): ID-card, Mobile-ID, Smart-ID or an EU eID (eIDAS), over OpenID Connect's
authorization code flow.

The protocol is Authlib's (its Django client): the state and nonce kept in the session, the
token request, the ID token's RS256 signature against TARA's published keys (fetched again when
a token names a key not yet seen, so that TARA can rotate them), and the iss, aud, exp, iat and
nonce claims. This module adds what is TARA's own: the level of assurance (acr), the means
(amr), the person in profile_attributes, and the answers a person reads when it fails.

Which account a personal code signs in to is accounts.services.eid_sign_in_person; who may sign
in this way is the rule accounts.sign_in_with_eid.
"""

import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)

from accounts.personal_codes import normalised_personal_code

# TARA's levels of assurance (eIDAS), lowest first. The Estonian means (ID-card, Mobile-ID,
# Smart-ID) are "high"; an EU eID may be lower.
LEVELS = ("low", "substantial", "high")
# The levels at which the eID sign-in is the second factor staff need.
SECOND_FACTOR_LEVELS = frozenset({"substantial", "high"})
# Where the level of the session's eID sign-in is kept (accounts.twofactor reads it).
LEVEL_SESSION_KEY = "eid_level"
NEXT_SESSION_KEY = "eid_next"
# How long the sign-in page shows TARA as unavailable after it did not answer, before asking it
# again: a page view should not wait for a server that is down.
UNAVAILABLE_FOR_SECONDS = 30.0
# The languages of TARA's pages.
UI_LOCALES = {"et": "et", "en": "en", "ru": "ru"}

# Until when each issuer counts as unavailable (time.monotonic()).
_unavailable_until: dict[str, float] = {}


class Unavailable(Exception):
    """TARA did not answer, or not as a server does."""


class Cancelled(Exception):
    """The person stopped on TARA's page."""


@dataclass
class Refused(Exception):
    """The answer did not pass a check: why, in a word the audit log keeps."""

    reason: str
    claims: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Person:
    """Who TARA says signed in, and how."""

    personal_code: str
    given_name: str
    family_name: str
    level: str
    means: list[str]

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    def audit_facts(self) -> dict[str, Any]:
        return {"amr": self.means, "acr": self.level}


def is_configured() -> bool:
    return bool(settings.TARA_ISSUER and settings.TARA_CLIENT_ID)


def _client() -> DjangoOAuth2App:
    return _client_for(
        settings.TARA_ISSUER,
        settings.TARA_CLIENT_ID,
        settings.TARA_CLIENT_SECRET,
        settings.TARA_SCOPES,
        settings.TARA_TIMEOUT,
    )


@lru_cache(maxsize=4)
def _client_for(
    issuer: str, client_id: str, secret: str, scopes: str, timeout: float
) -> DjangoOAuth2App:
    """One client per configuration, kept for the process: it keeps TARA's metadata and keys."""
    oauth = OAuth()
    client = oauth.register(
        "tara",
        client_id=client_id,
        client_secret=secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": scopes,
            "token_endpoint_auth_method": "client_secret_basic",
            "default_timeout": timeout,
        },
    )
    assert isinstance(client, DjangoOAuth2App)
    return client


def is_available() -> bool:
    """Whether TARA answers (its metadata is loaded once, then kept); a failure is remembered for
    a while."""
    issuer = settings.TARA_ISSUER
    if time.monotonic() < _unavailable_until.get(issuer, 0.0):
        return False
    try:
        _client().load_server_metadata()
    except (requests.RequestException, ValueError):
        _unavailable_until[issuer] = time.monotonic() + UNAVAILABLE_FOR_SECONDS
        return False
    return True


def redirect_to_tara(request: HttpRequest, *, next_url: str) -> HttpResponse:
    """Send the browser to TARA, with a new state and nonce kept in the session."""
    if not is_available():
        raise Unavailable
    request.session[NEXT_SESSION_KEY] = next_url
    try:
        response: HttpResponse = _client().authorize_redirect(
            request,
            settings.TARA_REDIRECT_URI,
            ui_locales=UI_LOCALES.get(get_language() or "", "et"),
        )
    except (requests.RequestException, ValueError, KeyError) as error:
        raise Unavailable from error
    return response


def next_url(session: SessionBase) -> str:
    """Where the person was going when they chose eID (checked when it was kept)."""
    return str(session.pop(NEXT_SESSION_KEY, ""))


def verified_person(request: HttpRequest) -> Person:
    """The person of TARA's answer on the callback, after every check of the flow; raises
    Refused, Cancelled or Unavailable."""
    client = _client()
    try:
        token = client.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": settings.TARA_ISSUER},
                "aud": {"essential": True, "value": client.client_id},
                "sub": {"essential": True},
                "acr": {"essential": True, "values": list(LEVELS)},
            },
        )
    except MismatchingStateError as error:
        raise Refused("state") from error
    except OAuthError as error:
        # TARA sends the person back with user_cancel when they stop on its page.
        if error.error == "user_cancel":
            raise Cancelled from error
        raise Refused(str(error.error or "token request")) from error
    except ExpiredTokenError as error:
        raise Refused("exp") from error
    except (BadSignatureError, InvalidKeyIdError) as error:
        raise Refused("signature") from error
    except (InvalidClaimError, MissingClaimError) as error:
        raise Refused(getattr(error, "claim", "") or error.error) from error
    except JoseError as error:
        raise Refused(error.error or "id_token") from error
    except (requests.RequestException, ValueError, KeyError) as error:
        raise Unavailable from error
    claims = token.get("userinfo")
    if not claims:
        raise Refused("id_token")
    return _person(dict(claims))


def _person(claims: dict[str, Any]) -> Person:
    means = claims.get("amr") or []
    # TARA keeps the names in profile_attributes; a plain OpenID provider at the top level.
    profile = claims.get("profile_attributes") or claims
    try:
        code = normalised_personal_code(str(claims["sub"]))
    except ValidationError as error:
        raise Refused("sub", claims) from error
    return Person(
        personal_code=code,
        given_name=_name(profile.get("given_name")),
        family_name=_name(profile.get("family_name")),
        level=str(claims["acr"]),
        means=[str(item) for item in means] if isinstance(means, list) else [str(means)],
    )


def _name(value: object) -> str:
    """A name as the portal writes it: the population register's capitals made ordinary
    (MARI-LIIS O'CONNOR → Mari-Liis O'Connor); a name written in mixed case stays."""
    name = " ".join(str(value or "").split())
    return name.title() if name.isupper() else name


def refused_audit_facts(refusal: Refused) -> dict[str, Any]:
    facts: dict[str, Any] = {"reason": refusal.reason}
    for claim in ("amr", "acr"):
        if claim in refusal.claims:
            facts[claim] = refusal.claims[claim]
    return facts
