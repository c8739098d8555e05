from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.access import AuthenticatedRequest, programme_staff_required
from accounts.filters import UserFilter
from accounts.forms import InvitationForm
from accounts.models import Invitation, User


@programme_staff_required
def people(request: AuthenticatedRequest) -> HttpResponse:
    users = User.objects.visible_to(request.user).select_related(
        "municipality", "service_provider", "invitation"
    )
    user_filter = UserFilter(request.GET, queryset=users)
    return render(request, "accounts/people.html", {"filter": user_filter})


@programme_staff_required
def invite(request: AuthenticatedRequest) -> HttpResponse:
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
@programme_staff_required
def resend_invitation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.filter(user__in=User.objects.visible_to(request.user)), pk=pk
    )
    try:
        services.resend_invitation(invitation=invitation)
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
