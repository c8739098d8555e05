from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import AuthenticatedRequest
from agreements import rules, services
from agreements.forms import AgreementForm, AmendmentForm, SignedAgreementForm
from agreements.models import Agreement, Amendment
from audit.services import record_file
from programme.models import Participation
from turvaportaal.lib.rules import Verdict, refuse_forbidden
from turvaportaal.lib.uploads import attachment


def _participation(request: AuthenticatedRequest, pk: int) -> Participation:
    return get_object_or_404(
        Participation.objects.visible_to(request.user).select_related(
            "municipality", "cohort", "service_provider"
        ),
        pk=pk,
    )


def _agreement(request: AuthenticatedRequest, participation: Participation) -> Agreement | None:
    return (
        Agreement.objects.visible_to(request.user)
        .select_related("container_uploaded_by")
        .filter(participation=participation)
        .first()
    )


def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The participation's agreement: its terms, who signed it and when, its amendments."""
    participation = _participation(request, pk)
    agreement = _agreement(request, participation)
    amendments = (
        Amendment.objects.visible_to(request.user).filter(agreement=agreement)
        if agreement
        else Amendment.objects.none()
    )
    return render(
        request,
        "agreements/detail.html",
        {"participation": participation, "agreement": agreement, "amendments": amendments},
    )


@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The ministry draws up the agreement or changes its terms, until it is signed."""
    participation = _participation(request, pk)
    agreement = _agreement(request, participation)
    verdict = rules.may_edit(request.user, participation, agreement)
    refuse_forbidden(verdict)
    instance = agreement or services.new_agreement(participation)
    form = AgreementForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_agreement(
                participation=participation, user=request.user, terms=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The partnership agreement was saved."))
            return redirect("agreement", pk)
    return render(
        request,
        "agreements/form.html",
        {"participation": participation, "agreement": agreement, "form": form, "verdict": verdict},
    )


def _refused(form: BaseForm, verdict: Verdict, error: ValidationError) -> None:
    """A refused upload: the container's fault beside the file, the rest above the form."""
    container_fault = bool(verdict) and not hasattr(error, "error_dict")
    form.add_error("file" if container_fault else None, error)


@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The ministry stores the signed agreement; the page shows who signed it."""
    participation = _participation(request, pk)
    agreement = _agreement(request, participation)
    if agreement is None:
        raise Http404
    verdict = rules.may_upload(request.user, agreement)
    refuse_forbidden(verdict)
    form = SignedAgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = services.store_signed_agreement(
                agreement=agreement, uploaded_file=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            _refused(form, verdict, error)
        else:
            messages.success(
                request,
                _("The signed agreement was stored: %(count)s signatures hold.")
                % {"count": len(stored.signers)},
            )
            return redirect("agreement", pk)
    return render(
        request,
        "agreements/upload.html",
        {"participation": participation, "agreement": agreement, "form": form, "verdict": verdict},
    )


@require_http_methods(["GET", "POST"])
def amend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The ministry adds a signed amendment to the agreement."""
    participation = _participation(request, pk)
    agreement = _agreement(request, participation)
    if agreement is None:
        raise Http404
    verdict = rules.may_amend(request.user, agreement)
    refuse_forbidden(verdict)
    form = AmendmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.add_amendment(
                agreement=agreement,
                user=request.user,
                dated_on=form.cleaned_data["dated_on"],
                changes=form.cleaned_data["changes"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _refused(form, verdict, error)
        else:
            messages.success(
                request,
                _("Amendment %(number)s was stored.") % {"number": amendment.number},
            )
            return redirect("agreement", pk)
    return render(
        request,
        "agreements/amendment_form.html",
        {"participation": participation, "agreement": agreement, "form": form, "verdict": verdict},
    )


def download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    participation = _participation(request, pk)
    agreement = _agreement(request, participation)
    if agreement is None or not agreement.is_signed:
        raise Http404
    return record_file(
        request, attachment(agreement.container, agreement.container_name), obj=agreement
    )


def amendment_download(
    request: AuthenticatedRequest, pk: int, amendment_pk: int
) -> HttpResponseBase:
    found = get_object_or_404(
        Amendment.objects.visible_to(request.user),
        pk=amendment_pk,
        agreement__participation_id=pk,
    )
    return record_file(request, attachment(found.container, found.container_name), obj=found)
