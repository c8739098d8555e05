from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest, programme_staff_required
from accounts.models import User
from practices import services
from practices.filters import PracticeFilter
from practices.forms import PracticeForm, ReturnForm
from practices.models import Approach, JointForm, Practice
from turvaportaal.lib.paging import page_of

PRACTICES_PER_PAGE = 20


def _get_visible_practice(user: User, pk: int) -> Practice:
    """The practice if this user may read it; otherwise 404."""
    return get_object_or_404(
        Practice.objects.visible_to(user).select_related("county", "municipality"), pk=pk
    )


def _get_editable_practice(user: User, pk: int) -> Practice:
    """A practice the user may change now: 404 if they may not read it, 403 otherwise."""
    practice = _get_visible_practice(user, pk)
    if not practice.is_editable_by(user):
        raise PermissionDenied
    return practice


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
            "can_create": services.can_create(request.user),
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
            "is_kept": practice.is_kept_by(request.user),
            "edit_refusal": practice.edit_refusal(request.user),
            "return_form": return_form or ReturnForm(),
        },
    )


def practice_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get_visible_practice(request.user, pk))


def _edit(request: AuthenticatedRequest, practice: Practice | None) -> HttpResponse:
    """The form for a new or an existing practice: a refused save saves nothing and keeps what
    was typed."""
    data = request.POST if request.method == "POST" else None
    form = PracticeForm(data, instance=practice, user=request.user)
    if data is not None:
        if form.is_valid():
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
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(request, "practices/form.html", {"form": form, "practice": practice})


def practice_create(request: AuthenticatedRequest) -> HttpResponse:
    if not services.can_create(request.user):
        raise PermissionDenied
    return _edit(request, None)


def practice_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _edit(request, _get_editable_practice(request.user, pk))


@require_POST
def practice_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    practice = _get_visible_practice(request.user, pk)
    if not practice.is_kept_by(request.user):
        raise PermissionDenied
    try:
        services.submit_practice(practice=practice, user=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The practice was sent to the ministry for publishing."))
    return redirect("practice_detail", practice.pk)


@require_POST
@programme_staff_required
def practice_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    practice = _get_visible_practice(request.user, pk)
    try:
        services.publish_practice(practice=practice, user=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The practice is published."))
    return redirect("practice_detail", practice.pk)


@require_POST
@programme_staff_required
def practice_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The ministry returns a submitted practice with comments; an empty comment is refused on
    the page."""
    practice = _get_visible_practice(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_practice(
                practice=practice, user=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, _("The practice was returned with your comments."))
        return redirect("practice_detail", practice.pk)
    messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return _render_detail(request, practice, return_form=form)


@require_POST
@programme_staff_required
def practice_unpublish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    practice = _get_visible_practice(request.user, pk)
    try:
        services.unpublish_practice(practice=practice, user=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The practice is no longer published; it is a draft again."))
    return redirect("practice_detail", practice.pk)
