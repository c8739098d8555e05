from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import AuthenticatedRequest
from audit.services import record_file
from conversations import rules, services
from conversations.forms import MessageForm
from conversations.models import Attachment, Message, readable_threads
from turvaportaal.lib.paging import page_of
from turvaportaal.lib.rules import refuse_forbidden
from turvaportaal.lib.uploads import attachment

# A thread shows its newest messages first as a page, each page read oldest to newest.
MESSAGES_A_PAGE = 30


@require_http_methods(["GET", "POST"])
def thread(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A participation's messages, oldest to newest, and the form to write one under them."""
    participation = get_object_or_404(
        readable_threads(request.user).select_related("municipality", "service_provider"), pk=pk
    )
    posting = rules.may_post(request.user, participation)
    posted = request.method == "POST"
    if posted:
        refuse_forbidden(posting)
    form = MessageForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            message = services.post_message(
                participation=participation,
                user=request.user,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect(reverse("conversation", args=[pk]) + f"#message-{message.pk}")
    # Newest first into pages: the first page is the latest messages; "earlier" goes back.
    listing = page_of(
        request,
        Message.objects.visible_to(request.user)
        .filter(participation=participation)
        .in_thread_order()
        .reverse(),
        per_page=MESSAGES_A_PAGE,
    )
    return render(
        request,
        "conversations/thread.html",
        {
            "participation": participation,
            "listing": listing,
            "shown": list(reversed(listing.page.object_list)),
            "form": form,
            "posting": posting,
            # A page sent back keeps the text, never the files: the browser empties the field.
            "files_to_choose_again": posted and bool(request.FILES.getlist("attachments")),
        },
    )


def attachment_download(
    request: AuthenticatedRequest, pk: int, attachment_pk: int
) -> HttpResponseBase:
    found = get_object_or_404(
        Attachment.objects.visible_to(request.user), pk=attachment_pk, message__participation_id=pk
    )
    return record_file(request, attachment(found.file, found.original_name), obj=found)
