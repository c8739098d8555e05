"""The one way into the audit log: ``record(who, action, ...)`` writes one row.

Called from the domain services inside their transaction (a change that is rolled back leaves
no record), from views for downloads and exports, and from the sign-in signals and the
middleware for the rest."""

import datetime
import ipaddress
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from axes.helpers import get_client_ip_address
from django import forms
from django.db import models
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase

from audit.models import Action, AuditEvent
from turvaportaal.lib.uploads import StoredFileRedirect

# The request being served, so that a change recorded by a service (which never sees the
# request) still says from which address and page it came, and who made it when the service
# was not told.
_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    """Mark the request being served for the records written while serving it."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def _address(request: HttpRequest) -> str | None:
    """The client's address as the brute-force protection sees it (behind the proxy too)."""
    address = get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def _signed_in(user: Any) -> Any:
    return user if user is not None and user.is_authenticated else None


def record(
    who: HttpRequest | Any | None,
    action: Action,
    *,
    obj: models.Model | None = None,
    label: str = "",
    detail: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Write one audit record. ``who`` is the request, the user who acted, or None for the
    signed-in user of the request being served (if any)."""
    request = who if isinstance(who, HttpRequest) else _current_request.get()
    if isinstance(who, HttpRequest):
        actor = _signed_in(getattr(who, "user", None))
    elif who is not None:
        actor = _signed_in(who)
    else:
        actor = _signed_in(getattr(request, "user", None)) if request is not None else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=(actor_label or (actor.email if actor else ""))[:254],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=(label or (str(obj) if obj is not None else ""))[:255],
        detail=detail[:255],
        before=before,
        after=after,
        ip_address=_address(request) if request is not None else None,
        path=request.get_full_path()[:500] if request is not None else "",
    )


def record_file[Response: HttpResponseBase](
    request: HttpRequest, response: Response, *, obj: models.Model | None = None
) -> Response:
    """Record the file a response hands out and return the response: a stored file is a
    download, a table or document made for the request an export."""
    if isinstance(response, FileResponse | StoredFileRedirect):
        action, name = Action.DOWNLOAD, response.filename or ""
    else:
        found = re.search(r'filename="([^"]*)"', response.get("Content-Disposition", ""))
        action, name = Action.EXPORT, found.group(1) if found else ""
    record(request, action, obj=obj, detail=name)
    return response


def record_change(
    who: HttpRequest | Any | None,
    obj: models.Model,
    detail: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    label: str = "",
) -> AuditEvent:
    """A state change of one object: what it was and what it became."""
    return record(
        who, Action.STATE_CHANGE, obj=obj, detail=detail, before=before, after=after, label=label
    )


def _kept(value: Any) -> Any:
    """A form value as the log keeps it: rows by their id, lists item by item, and anything
    the JSON encoder does not know (a file, say) as text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (str, int, float, Decimal, datetime.date, datetime.time)) or value is None:
        return value
    if isinstance(value, Iterable):
        return [_kept(item) for item in value]
    return str(value)


def form_changes(
    form: forms.BaseForm | None, *formsets: forms.BaseFormSet | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the fields a valid form changed were and what they became, and the changed rows of
    each formset under its prefix (a None form or formset is left out); never a password."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if form is not None:
        for name in form.changed_data:
            if "password" not in name:
                before[name] = _kept(form[name].initial)
                after[name] = _kept(form.cleaned_data.get(name))
    for formset in formsets:
        if formset is None:
            continue
        rows = [form_changes(row) for row in formset.forms if row.has_changed()]
        if rows:
            before[str(formset.prefix)] = [was for was, _became in rows]
            after[str(formset.prefix)] = [became for _was, became in rows]
    return before, after
