from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import AuthenticatedRequest
from audit.services import record_file
from inquiries import rules, services
from inquiries.forms import AnswerForm, AskForm
from inquiries.models import (
    SUBJECT_MODELS,
    InformationRequest,
    InformationRequestQuerySet,
    Subject,
    municipality_of,
    page_of_thing,
)
from turvaportaal.lib.paging import page_of
from turvaportaal.lib.rules import refuse_forbidden
from turvaportaal.lib.uploads import attachment as attachment_response

# What each kind of object's page needs of it, besides the object: its municipality.
THING_RELATED = {
    Subject.APPLICATION: ["municipality", "call"],
    Subject.PLAN: ["participation__municipality"],
    Subject.EXPENDITURE: ["participation__municipality", "budget_line"],
    Subject.BUDGET_CHANGE: ["participation__municipality"],
    Subject.PROGRESS_UPDATE: ["plan__participation__municipality"],
}


def _get_visible_thing(user: Any, subject: str, pk: int) -> Any:
    """The object a question is about, if this user may see it; otherwise 404."""
    if subject not in Subject.values:
        raise Http404
    kind = Subject(subject)
    things: Any = SUBJECT_MODELS[kind]._default_manager
    things = things.visible_to(user).select_related(*THING_RELATED[kind])
    if kind == Subject.EXPENDITURE:
        things = things.with_state()
    return get_object_or_404(things, pk=pk)


def _requests(user: Any) -> InformationRequestQuerySet:
    return InformationRequest.objects.visible_to(user).select_related(
        "municipality",
        "asked_by",
        "answered_by",
        "withdrawn_by",
        "application__call",
        "plan",
        "expenditure",
        "budget_change",
        "progress_update__plan",
    )


def _get_visible_request(user: Any, pk: int) -> InformationRequest:
    """The request if this user may see its object; otherwise 404."""
    return get_object_or_404(_requests(user), pk=pk)


def inquiry_list(request: AuthenticatedRequest) -> HttpResponse:
    """The requests about what the person may see: those waiting for an answer first."""
    requests = _requests(request.user)
    state = request.GET.get("state", "")
    if state not in ("open", "closed"):
        state = ""
    if state == "open":
        requests = requests.open()
    elif state == "closed":
        requests = requests.exclude(pk__in=InformationRequest.objects.open().values("pk"))
    requests = requests.open_first()
    return render(
        request,
        "inquiries/list.html",
        {
            "listing": page_of(request, requests),
            "state": state,
            "filters": [
                ("open", _("Waiting for an answer")),
                ("closed", _("Answered or withdrawn")),
                ("", _("All")),
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def ask(request: AuthenticatedRequest, subject: str, pk: int) -> HttpResponse:
    """The question to the municipality (GET), and asking it (POST); a refusal keeps what was
    typed, with the reason."""
    thing = _get_visible_thing(request.user, subject, pk)
    asking = rules.may_ask(request.user, thing)
    refuse_forbidden(asking)
    is_application = subject == Subject.APPLICATION
    form = AskForm(request.POST or None, is_application=is_application)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.ask_for_information(
                thing=thing,
                question=form.cleaned_data["question"],
                sections=form.cleaned_data.get("sections", []),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The question was sent to %(municipality)s; its people are told.")
                % {"municipality": made.municipality.name},
            )
            return redirect(page_of_thing(thing))
    return render(
        request,
        "inquiries/ask.html",
        {
            "thing": thing,
            "subject": Subject(subject),
            "municipality": municipality_of(thing),
            "back": page_of_thing(thing),
            "form": form,
            "asking": asking,
            "form_shown": bool(asking) or request.method == "POST",
        },
    )


def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A question and its answer, beside the object's other questions."""
    inquiry = _get_visible_request(request.user, pk)
    others = (
        InformationRequest.objects.about(inquiry.thing)
        .exclude(pk=inquiry.pk)
        .select_related("municipality", "asked_by", "answered_by", "withdrawn_by")
    )
    return render(request, "inquiries/detail.html", {"inquiry": inquiry, "others": others})


@require_http_methods(["GET", "POST"])
def answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The municipality's answer, with a file if it has one (GET: the form; POST: answering). A
    refused answer comes back as it was typed; a file has to be chosen again."""
    inquiry = _get_visible_request(request.user, pk)
    answering = rules.may_answer(request.user, inquiry)
    refuse_forbidden(answering)
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_information_request(
                request=inquiry,
                answer=form.cleaned_data["answer"],
                attachment=form.cleaned_data["attachment"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("inquiry_answered", inquiry.pk)
    if "attachment" in request.FILES and form.errors and not form.has_error("attachment"):
        form.add_error("attachment", _("Choose the file again: a form sent back does not keep it."))
    return render(
        request,
        "inquiries/answer.html",
        {
            "inquiry": inquiry,
            "form": form,
            "answering": answering,
            "form_shown": bool(answering) or request.method == "POST",
        },
    )


def answered(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The confirmation that the answer went to the ministry, and what happens next."""
    inquiry = _get_visible_request(request.user, pk)
    if inquiry.answered_at is None:
        return redirect("inquiry_detail", inquiry.pk)
    return render(request, "inquiries/answered.html", {"inquiry": inquiry})


@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Are you sure: what withdrawing does (GET); the withdrawal itself (POST)."""
    inquiry = _get_visible_request(request.user, pk)
    withdrawing = rules.may_withdraw(request.user, inquiry)
    refuse_forbidden(withdrawing)
    if request.method == "POST":
        try:
            services.withdraw_information_request(request=inquiry, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("inquiry_detail", inquiry.pk)
        messages.success(request, _("The request was withdrawn: no answer is awaited."))
        return redirect(inquiry.thing_url)
    return render(
        request, "inquiries/withdraw_confirm.html", {"inquiry": inquiry, "withdrawing": withdrawing}
    )


def download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The answer's attachment, for whoever may see the request's object."""
    inquiry = _get_visible_request(request.user, pk)
    if not inquiry.attachment:
        raise Http404
    return record_file(
        request,
        attachment_response(inquiry.attachment, inquiry.attachment_name or "attachment"),
        obj=inquiry,
    )
