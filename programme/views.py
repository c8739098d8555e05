from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from accounts.access import AuthenticatedRequest, programme_staff_required
from accounts.models import User
from programme import rules, services
from programme.filters import MunicipalityFilter
from programme.forms import (
    CallForm,
    InfoSessionFormSet,
    ParticipationChoiceField,
    ProviderAssignmentForm,
    ServiceProviderForm,
    StartYearFormSet,
)
from programme.models import Call, Municipality, Participation, ServiceProvider
from programme.services import PARTICIPATION_COLUMNS, import_participations, save_call
from turvaportaal.lib.csvfile import read_csv
from turvaportaal.lib.paging import PER_PAGE, count_of, grouped, page_of
from turvaportaal.lib.rules import refuse_forbidden
from turvaportaal.lib.search import found_rows


@require_GET
def municipality_search(request: AuthenticatedRequest) -> HttpResponse:
    """Municipalities by name for every signed-in user: the list is public reference data."""
    return found_rows(request, Municipality.objects.order_by("name"), "name")


@require_GET
def participation_search(request: AuthenticatedRequest) -> HttpResponse:
    """The participations the user may see, by their municipality's name."""
    participations = (
        Participation.objects.visible_to(request.user)
        .select_related("municipality")
        .order_by("municipality__name")
    )
    return found_rows(
        request,
        participations,
        "municipality__name",
        label=ParticipationChoiceField.label_from_instance,
    )


@programme_staff_required
def municipality_list(request: AuthenticatedRequest) -> HttpResponse:
    municipalities = (
        Municipality.objects.visible_to(request.user)
        .select_related("county")
        .annotate(user_count=count_of(User.objects.all(), "municipality"))
        .order_by("name", "pk")  # a stable order for the pages
    )
    municipality_filter = MunicipalityFilter(request.GET, queryset=municipalities)
    return render(
        request,
        "programme/municipality_list.html",
        {"filter": municipality_filter, "listing": page_of(request, municipality_filter.qs)},
    )


def municipality_detail(request: AuthenticatedRequest, ehak_code: str) -> HttpResponse:
    municipality = get_object_or_404(
        Municipality.objects.visible_to(request.user).select_related("county"),
        ehak_code=ehak_code,
    )
    people = municipality.users.visible_to(request.user).filter(is_active=True)
    return render(
        request,
        "programme/municipality_detail.html",
        {"municipality": municipality, "people": people},
    )


@programme_staff_required
def call_list(request: AuthenticatedRequest) -> HttpResponse:
    calls = Call.objects.prefetch_related("start_years").annotate(
        application_count=Count("applications")
    )
    return render(request, "programme/call_list.html", {"calls": calls, "now": timezone.now()})


def call_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk) if pk else Call(created_by=request.user)
    refuse_forbidden(rules.may_edit_call(request.user, call if pk else None))
    data = request.POST if request.method == "POST" else None
    form = CallForm(data, instance=call)
    start_years = StartYearFormSet(data, instance=call, prefix="years")
    info_sessions = InfoSessionFormSet(data, instance=call, prefix="sessions")
    valid = data is not None and all(part.is_valid() for part in (form, start_years, info_sessions))
    if valid and form.moves_the_deadline_of_applicants() and "confirmed" not in request.POST:
        # Are you sure: what moving the deadline does, and whom it tells. The answers ride
        # along in hidden fields; "back" returns to the form with them.
        if "back" not in request.POST:
            return render(
                request,
                "programme/call_deadline_confirm.html",
                {"call": call, "form": form, "answers": _answers_to_resend(request)},
            )
    elif valid:
        save_call(form=form, formsets=[start_years, info_sessions], user=request.user)
        messages.success(request, _("The call was saved."))
        return redirect("call_list")
    return render(
        request,
        "programme/call_form.html",
        {"form": form, "start_years": start_years, "info_sessions": info_sessions, "call": call},
    )


def _answers_to_resend(request: AuthenticatedRequest) -> list[tuple[str, str]]:
    """What the person sent, to send again from a confirmation page."""
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed", "back")
        for value in values
    ]


class ParticipationImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns: ehak_code, stage (I or II), start_year, start_on and end_on (YYYY-MM-DD), "
            "grant_amount. The first row names the columns."
        ),
    )


@programme_staff_required
def participation_list(request: AuthenticatedRequest) -> HttpResponse:
    """The participations, and the import of those from before the portal."""
    participations = (
        Participation.objects.visible_to(request.user)
        .with_stage()
        .select_related("municipality__county", "cohort")
    )
    if request.method == "POST":
        refuse_forbidden(rules.may_import_participations(request.user))
    form = ParticipationImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_participations(
                read_csv(form.cleaned_data["file"], PARTICIPATION_COLUMNS), user=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
    return render(
        request,
        "programme/participation_list.html",
        {"listing": page_of(request, participations), "form": form, "report": report},
    )


@programme_staff_required
def provider_list(request: AuthenticatedRequest) -> HttpResponse:
    """The provider organisations, their people and the municipalities each counsels."""
    listing = page_of(request, ServiceProvider.objects.visible_to(request.user))
    on_page = [provider.pk for provider in listing.page]
    # Names only, as rows rather than model objects: a card shows nothing else of them.
    people = grouped(
        User.objects.filter(is_active=True, service_provider__in=on_page)
        .order_by("full_name", "email")
        .values_list("service_provider", "full_name", "email")
    )
    counselled = grouped(
        Participation.objects.filter(service_provider__in=on_page)
        .order_by("municipality__name")
        .values_list("service_provider", "municipality__name")
    )
    unassigned = Participation.objects.filter(service_provider=None).order_by("municipality__name")
    return render(
        request,
        "programme/provider_list.html",
        {
            "listing": listing,
            "cards": [
                (provider, people[provider.pk], counselled[provider.pk])
                for provider in listing.page
            ],
            # The first names; the assignment page lists them all.
            "unassigned": unassigned.values_list("municipality__name", flat=True)[:PER_PAGE],
            "unassigned_count": unassigned.count(),
        },
    )


def provider_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    # The rule decides, not the visibility of the organisation: a provider's own people, who
    # see its details, are refused (403) like everyone else who is not the ministry's.
    provider = get_object_or_404(ServiceProvider, pk=pk) if pk is not None else None
    refuse_forbidden(rules.may_edit_provider(request.user, provider))
    form = ServiceProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        services.save_provider(form=form, user=request.user)
        messages.success(request, _("Saved."))
        return redirect("provider_list")
    return render(request, "programme/provider_form.html", {"form": form, "provider": provider})


def assign_providers(request: AuthenticatedRequest) -> HttpResponse:
    refuse_forbidden(rules.may_assign_providers(request.user))
    # One page of participations at a time; the form posts back to the same page.
    listing = page_of(
        request,
        Participation.objects.visible_to(request.user).select_related(
            "municipality__county", "service_provider"
        ),
    )
    form = ProviderAssignmentForm(request.POST or None, participations=list(listing.page))
    if request.method == "POST" and form.is_valid():
        changed = services.assign_providers(assignments=form.assignments(), user=request.user)
        messages.success(
            request,
            ngettext("%(count)d assignment changed.", "%(count)d assignments changed.", changed)
            % {"count": changed},
        )
        return redirect(request.get_full_path())
    return render(
        request, "programme/provider_assignments.html", {"form": form, "listing": listing}
    )
