from collections.abc import Callable
from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import rules, services, tara, twofactor
from accounts.access import AuthenticatedRequest, programme_staff_required
from accounts.filters import UserFilter
from accounts.forms import InvitationForm, SecondFactorForm, SignInForm
from accounts.models import Invitation, User
from audit.models import Action
from audit.services import record
from turvaportaal.lib.paging import page_of
from turvaportaal.lib.rules import refuse_forbidden


class SignInView(LoginView):
    """Django's sign-in with the password, and the eID button when TARA is set up: shown as
    unavailable when TARA does not answer."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["eid_offered"] = tara.is_configured()
        context["eid_available"] = context["eid_offered"] and tara.is_available()
        context["eid_unavailable"] = _unavailable_message()
        return context


@login_not_required
def eid_start(request: HttpRequest) -> HttpResponse:
    """The eID button: on to TARA, which asks for the ID-card, Mobile-ID, Smart-ID or EU eID."""
    if not tara.is_configured():
        raise Http404
    try:
        return tara.redirect_to_tara(request, next_url=_next_url(request))
    except tara.Unavailable:
        messages.error(request, _unavailable_message())
        return redirect(_same_query("login", request))


@login_not_required
def eid_callback(request: HttpRequest) -> HttpResponse:
    """TARA sends the person back here: check its answer, then open their account or say why
    not. Each sign-in and refusal goes to the audit log with the eID means used."""
    if not tara.is_configured():
        raise Http404
    try:
        person = tara.verified_person(request)
    except tara.Cancelled:
        messages.info(request, _("Signing in with eID was cancelled."))
        return redirect("login")
    except tara.Unavailable:
        messages.error(request, _unavailable_message())
        return redirect("login")
    except tara.Refused as refusal:
        record(
            request,
            Action.SIGN_IN_FAILED,
            detail=gettext_noop("eID sign-in refused"),
            after=tara.refused_audit_facts(refusal),
        )
        messages.error(
            request,
            _(
                "Signing in with eID did not succeed: the answer from the authentication service "
                "could not be verified. Start again from this page."
            ),
        )
        return redirect("login")
    try:
        user = services.eid_sign_in_person(person=person)
    except ValidationError as error:
        record(
            request,
            Action.SIGN_IN_FAILED,
            detail=gettext_noop("eID sign-in refused"),
            after={"reason": error.code, **person.audit_facts()},
            actor_label=person.personal_code,
        )
        messages.error(request, " ".join(error.messages))
        return redirect("login")
    target = tara.next_url(request.session) or reverse(settings.LOGIN_REDIRECT_URL)
    # For the audit record of the sign-in (audit.signals).
    user.sign_in_detail = gettext_noop("signed in with eID")
    user.sign_in_facts = person.audit_facts()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[tara.LEVEL_SESSION_KEY] = person.level
    return redirect(target)


def _unavailable_message() -> str:
    return _(
        "Signing in with eID is unavailable at the moment: the authentication service does "
        "not answer. Sign in with your e-mail address and password, or try again later."
    )


@programme_staff_required
def people(request: AuthenticatedRequest) -> HttpResponse:
    users = User.objects.visible_to(request.user).select_related(
        "municipality", "service_provider", "invitation"
    )
    user_filter = UserFilter(request.GET, queryset=users)
    return render(
        request,
        "accounts/people.html",
        {"filter": user_filter, "listing": page_of(request, user_filter.qs)},
    )


def invite(request: AuthenticatedRequest) -> HttpResponse:
    refuse_forbidden(rules.may_invite(request.user))
    form = InvitationForm(request.POST or None, inviter=request.user)
    if form.is_valid():
        try:
            invitation = services.invite_user(invited_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": invitation.user.email},
            )
            return redirect("people")
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "valid_days": settings.INVITATION_VALID_FOR.days},
    )


@require_POST
def resend_invitation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # The rule decides, not the visibility of the person: a municipality user, who sees their
    # colleagues, is refused (403) like everyone else who does not invite.
    invitation = get_object_or_404(Invitation.objects.select_related("user"), pk=pk)
    refuse_forbidden(rules.may_resend(request.user, invitation))
    try:
        services.resend_invitation(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A new link was sent to %(email)s.") % {"email": invitation.user.email}
        )
    return redirect("people")


@login_not_required
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.pending().with_token(token).select_related("user").first()
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if form.is_valid():
        try:
            services.accept_invitation(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except ValidationError:
            return render(request, "accounts/invitation_invalid.html", status=404)
        messages.success(request, _("Your password is set. Sign in with your e-mail address."))
        return redirect("login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """A person who must use a second factor and has no device yet scans the QR code (or types
    the secret) into an authenticator app and confirms it with a first code."""
    user = request.user
    next_url = _next_url(request)
    if not twofactor.is_second_factor_missing(user, request.session):
        return redirect(next_url)
    if twofactor.confirmed_device(user) is not None:
        return redirect(_same_query("two_factor_verify", request))
    device = twofactor.device_to_set_up(user)
    form = SecondFactorForm(request.POST or None)
    if _code_accepted(request, form, device, twofactor.confirm_device):
        return redirect(next_url)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": twofactor.qr_code_svg(device),
            "secret": twofactor.secret_of(device),
        },
    )


def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    """After the password, a person who must use a second factor enters the code of their app."""
    user = request.user
    next_url = _next_url(request)
    if not twofactor.is_second_factor_missing(user, request.session):
        return redirect(next_url)
    device = twofactor.confirmed_device(user)
    if device is None:
        return redirect(_same_query("two_factor_setup", request))
    form = SecondFactorForm(request.POST or None)
    if _code_accepted(request, form, device, twofactor.check_code):
        return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


def _code_accepted(
    request: HttpRequest,
    form: SecondFactorForm,
    device: TOTPDevice,
    check: Callable[..., TOTPDevice],
) -> bool:
    """Whether the posted code passes the check; if so the sign-in now counts as verified,
    otherwise the form says why not."""
    if not form.is_valid():
        return False
    try:
        device = check(device=device, code=form.cleaned_data["code"])
    except ValidationError as error:
        form.add_error("code", error)
        record(request, Action.SIGN_IN_FAILED, detail=gettext_noop("second factor refused"))
        return False
    # A new session key now that the sign-in counts for more (as signing in does).
    request.session.cycle_key()
    django_otp.login(request, device)
    record(request, Action.SIGN_IN, detail=gettext_noop("second factor accepted"))
    return True


def _same_query(page: str, request: HttpRequest) -> str:
    query = request.GET.urlencode()
    return f"{reverse(page)}?{query}" if query else reverse(page)


def _next_url(request: HttpRequest) -> str:
    """Where to go once the code is in: the page asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)
