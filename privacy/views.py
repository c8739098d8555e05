import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import AuthenticatedRequest, admin_required
from accounts.models import User
from privacy import pseudonyms, retention, rules, services
from privacy.forms import EraseForm
from turvaportaal.lib.rules import refuse_forbidden

# The date of the portal's last accessibility assessment: the axe-core walk of every page
# (tests/browser/test_accessibility.py), as last reviewed by the ministry.
LAST_ASSESSED_ON = datetime.date(2026, 12, 5)


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/accessibility.html",
        {"assessed_on": LAST_ASSESSED_ON, "contact_email": settings.PRIVACY_CONTACT_EMAIL},
    )


@login_not_required
@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/notice.html",
        {"rules": retention.RULES, "contact_email": settings.PRIVACY_CONTACT_EMAIL},
    )


@login_not_required
@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/cookies.html",
        {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "language_cookie": settings.LANGUAGE_COOKIE_NAME,
        },
    )


def _person(pk: int) -> User:
    # Administrators see every account (User.objects.visible_to answers that).
    return get_object_or_404(User, pk=pk)


@admin_required
@require_GET
def personal_data(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """What the portal holds about one person, and the access request and erasure of it."""
    person = _person(pk)
    refuse_forbidden(rules.may_export(request.user, person))
    return render(
        request,
        "privacy/personal_data.html",
        {
            "person": person,
            "audit_count": pseudonyms.audit_rows_about(person).count(),
            "ledger_count": pseudonyms.ledger_rows_about(person).count(),
            "erasing": rules.may_erase(request.user, person),
        },
    )


@admin_required
@require_GET
def personal_data_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = _person(pk)
    refuse_forbidden(rules.may_export(request.user, person))
    name, content = services.export_person(person=person, by=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@admin_required
@require_http_methods(["GET", "POST"])
def personal_data_erase(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = _person(pk)
    verdict = rules.may_erase(request.user, person)
    refuse_forbidden(verdict)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            name = services.erase_person(person=person, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The person's data has been erased. They are now %(pseudonym)s.")
                % {"pseudonym": name},
            )
            return redirect("personal_data", pk=person.pk)
    return render(
        request,
        "privacy/erase.html",
        {"person": person, "form": form, "verdict": verdict},
    )
