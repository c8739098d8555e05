from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest
from accounts.models import User
from practices import rules, services
from practices.filters import PracticeFilter
from practices.forms import PracticeForm, ReturnForm
from practices.models import Approach, JointForm, Practice
from turvaportaal.lib.paging import page_of
from turvaportaal.lib.rules import Verdict, refuse_forbidden

PRACTICES_PER_PAGE = 20


def _get_visible_practice(user: User, pk: int) -> Practice:
    """The practice if this user may read it; otherwise 404."""
    return get_object_or_404(
        Practice.objects.visible_to(user).select_related("county", "municipality"), pk=pk
    )


def _refusal(request: AuthenticatedRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def practice_list(request: AuthenticatedRequest) -> HttpResponse:
    practices = (
        Practice.objects.visible_to(request.user)
        .select_related("county")
        .prefetch_related("partners")
    )
    practice_filter = PracticeFilter(request.GET, queryset=practices, request=request)
    listing = page_of(request, practice_filter.qs, per_page=PRACTICES_PER_PAGE)
    return render(
        request,
        "practices/list.html",
        {
            "filter": practice_filter,
            "listing": listing,
            "joint_forms": list(JointForm),
            "approaches": list(Approach),
        },
    )


def _render_detail(
    request: AuthenticatedRequest, practice: Practice, return_form: ReturnForm | None = None
) -> HttpResponse:
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            "municipalities": practice.municipalities.all(),
            "partners": practice.partners.all(),
            "return_form": return_form or ReturnForm(),
        },
    )


def practice_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get_visible_practice(request.user, pk))


def _edit(
    request: AuthenticatedRequest, practice: Practice | None, verdict: Verdict
) -> HttpResponse:
    """The form for a new or an existing practice, once the rules have not forbidden it: a
    refused save saves nothing and keeps what was typed, the reason beside it."""
    refuse_forbidden(verdict)
    data = request.POST if request.method == "POST" else None
    form = PracticeForm(data, instance=practice, user=request.user)
    if data is not None and form.is_valid():
        try:
            saved = services.save_practice(
                user=request.user, data=form.cleaned_data, practice=practice
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The practice was saved."))
            return redirect("practice_detail", saved.pk)
    return render(request, "practices/form.html", {"form": form, "practice": practice})


def practice_create(request: AuthenticatedRequest) -> HttpResponse:
    return _edit(request, None, rules.may_create_practice(request.user))


def practice_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """404 for a practice the person may not read, 403 for one they may never change."""
    practice = _get_visible_practice(request.user, pk)
    return _edit(request, practice, rules.may_edit_practice(request.user, practice))


@require_POST
def practice_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    practice = _get_visible_practice(request.user, pk)
    refuse_forbidden(rules.may_submit_practice(request.user, practice))
    try:
        services.submit_practice(practice=practice, user=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The practice was sent to the ministry for publishing."))
    return redirect("practice_detail", practice.pk)


@require_POST
def practice_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    practice = _get_visible_practice(request.user, pk)
    refuse_forbidden(rules.may_publish_practice(request.user, practice))
    try:
        services.publish_practice(practice=practice, user=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The practice is published."))
    return redirect("practice_detail", practice.pk)


@require_POST
def practice_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The ministry returns a submitted practice with comments; an empty comment, or a practice
    no longer submitted, is refused on the page beside the comment as it was typed."""
    practice = _get_visible_practice(request.user, pk)
    refuse_forbidden(rules.may_return_practice(request.user, practice))
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_practice(
                practice=practice, user=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_error(None, ValidationError(error.messages))
        else:
            messages.success(request, _("The practice was returned with your comments."))
            return redirect("practice_detail", practice.pk)
    return _render_detail(request, practice, return_form=form)


@require_POST
def practice_unpublish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    practice = _get_visible_practice(request.user, pk)
    refuse_forbidden(rules.may_unpublish_practice(request.user, practice))
    try:
        services.unpublish_practice(practice=practice, user=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The practice is no longer published; it is a draft again."))
    return redirect("practice_detail", practice.pk)
