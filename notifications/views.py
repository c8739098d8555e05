from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest
from notifications import services
from notifications.forms import PreferencesForm
from notifications.models import Notification
from turvaportaal.lib.paging import page_of


def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    """The person's notices, newest first; those shown are read once the page is seen."""
    notices = Notification.objects.visible_to(request.user)
    listing = page_of(request, notices)
    shown = [notice.pk for notice in listing.page]
    response = render(
        request,
        "notifications/list.html",
        {"listing": listing, "unread": notices.unread().count()},
    )
    services.mark_read(notices.filter(pk__in=shown))
    return response


def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Open what a notice is about, and count it read."""
    notice = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.mark_read(Notification.objects.filter(pk=notice.pk))
    if not url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return redirect("notification_list")
    return redirect(notice.link)


@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    services.mark_read(Notification.objects.visible_to(request.user))
    messages.success(request, _("Every notification is marked as read."))
    return redirect("notification_list")


def notification_settings(request: AuthenticatedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_preferences(user=request.user, deliveries=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notification_settings")
    return render(request, "notifications/settings.html", {"form": form})
