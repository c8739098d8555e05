import copy
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.forms import BaseForm
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest, programme_staff_required
from accounts.models import User
from audit.services import record_file
from learning import rules, services
from learning.filters import SharingEventFilter, TrainingFilter
from learning.forms import AttendanceForm, RegistrationForm, SharingEventForm, TrainingForm
from learning.models import (
    Organiser,
    SharingEvent,
    SharingMaterial,
    Training,
    TrainingParticipant,
    TrainingType,
)
from programme.models import Municipality
from turvaportaal.lib.charts import row_chart
from turvaportaal.lib.paging import count_of, grouped, page_of
from turvaportaal.lib.rules import refuse_forbidden
from turvaportaal.lib.uploads import attachment


def _refused(form: BaseForm, error: ValidationError) -> None:
    """Show a service's refusal above the form, which keeps what was typed."""
    form.add_error(None, ValidationError(error.messages))


def _get_training(user: User, pk: int) -> Training:
    """The training if this user may see it (every signed-in user may); otherwise 404."""
    return get_object_or_404(
        Training.objects.visible_to(user)
        .select_related("service_provider")
        .with_registered_count(),
        pk=pk,
    )


def training_list(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    trainings = (
        Training.objects.visible_to(request.user)
        .select_related("service_provider")
        .with_registered_count()
    )
    training_filter = TrainingFilter(request.GET, queryset=trainings)
    found = training_filter.qs
    return render(
        request,
        "learning/training_list.html",
        {
            "filter": training_filter,
            "upcoming": page_of(request, found.upcoming(today), "upcoming"),
            "past": page_of(request, found.past(today), "past"),
        },
    )


def _detail_context(
    request: AuthenticatedRequest, training: Training, form: RegistrationForm
) -> dict[str, Any]:
    participants = list(
        TrainingParticipant.objects.visible_to(request.user)
        .filter(training=training)
        .select_related("municipality")
        .order_by("municipality__name", "name", "pk")
    )
    for participant in participants:  # each withdrawal's rule reads the training's date
        participant.training = training
    return {
        "training": training,
        "participants": participants,
        "is_municipality": request.user.municipality_id is not None,
        "form": form,
    }


def training_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = _get_training(request.user, pk)
    return render(
        request,
        "learning/training_detail.html",
        _detail_context(request, training, RegistrationForm()),
    )


@require_POST
def training_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = _get_training(request.user, pk)
    refuse_forbidden(rules.may_register_participant(request.user, training))
    # The form has no municipality: the service registers for the user's own.
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            participant = services.register_participant(
                training=training, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": participant.name})
            return redirect("training_detail", training.pk)
    return render(
        request, "learning/training_detail.html", _detail_context(request, training, form)
    )


@require_POST
def training_withdraw(request: AuthenticatedRequest, pk: int, participant_pk: int) -> HttpResponse:
    training = _get_training(request.user, pk)
    participant = get_object_or_404(
        TrainingParticipant.objects.visible_to(request.user).filter(training=training),
        pk=participant_pk,
    )
    participant.training = training
    refuse_forbidden(rules.may_withdraw_participant(request.user, participant))
    try:
        services.withdraw_participant(participant=participant, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The registration of %(name)s was withdrawn.") % {"name": participant.name}
        )
    return redirect("training_detail", training.pk)


def _training_form(
    request: AuthenticatedRequest, training: Training | None, instance: Training
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = TrainingForm(data, instance=instance, user=request.user)
    if data is not None and form.is_valid():
        try:
            saved = services.save_training(
                training=training, user=request.user, **form.workflow_data()
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The training was saved."))
            return redirect("training_detail", saved.pk)
    return render(request, "learning/training_form.html", {"form": form, "training": training})


def training_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    refuse_forbidden(rules.may_create_training(user))
    instance = Training()
    if not user.has_programme_wide_access:
        instance = Training(
            organiser=Organiser.SERVICE_PROVIDER, service_provider=user.service_provider
        )
    return _training_form(request, None, instance)


def training_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = _get_training(request.user, pk)
    refuse_forbidden(rules.may_edit_training(request.user, training))
    # The form works on a copy, so that a refused edit leaves the page's heading as it was.
    return _training_form(request, training, copy.copy(training))


def training_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = _get_training(request.user, pk)
    refuse_forbidden(rules.may_record_attendance(request.user, training))
    participants = list(
        TrainingParticipant.objects.visible_to(request.user)
        .filter(training=training)
        .select_related("municipality")
        .order_by("municipality__name", "name", "pk")
    )
    data = request.POST if request.method == "POST" else None
    form = AttendanceForm(data, participants=participants)
    if data is not None and form.is_valid():
        try:
            services.record_attendance(
                training=training, user=request.user, attendance=form.attendance()
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The attendance was saved."))
            return redirect("training_detail", training.pk)
    return render(
        request,
        "learning/training_attendance.html",
        {"training": training, "form": form},
    )


@programme_staff_required
def training_overview(request: AuthenticatedRequest) -> HttpResponse:
    """Who has been trained in what: per municipality and training type, the people who
    attended (each once), and the list of them for the municipalities on the page."""
    attended = TrainingParticipant.objects.visible_to(request.user).attended()
    municipalities = (
        Municipality.objects.filter(
            Q(participation__isnull=False) | Q(pk__in=attended.values("municipality"))
        )
        .select_related("county")
        .order_by("name")
    )
    listing = page_of(request, municipalities)
    page = listing.page
    by_type = {
        (row["municipality_id"], row["training__training_type"]): row["people"]
        for row in attended.order_by()
        .values("municipality_id", "training__training_type")
        .annotate(people=Count(Lower("name"), distinct=True))
    }
    by_municipality = dict(
        attended.order_by()
        .values_list("municipality_id")
        .annotate(people=Count(Lower("name"), distinct=True))
    )
    people: dict[int, list[TrainingParticipant]] = defaultdict(list)
    for participant in (
        attended.filter(municipality__in=[m.pk for m in page])
        .select_related("training")
        .order_by("training__starts_on", "name", "pk")
    ):
        people[participant.municipality_id].append(participant)
    types = list(TrainingType)
    rows = [
        {
            "municipality": municipality,
            "counts": [by_type.get((municipality.pk, kind.value), 0) for kind in types],
            "total": by_municipality.get(municipality.pk, 0),
            "people": people[municipality.pk],
        }
        for municipality in page
    ]
    totals = [
        sum(n for (_m, kind_value), n in by_type.items() if kind_value == kind.value)
        for kind in types
    ]
    return render(
        request,
        "learning/training_overview.html",
        {
            "types": types,
            "rows": rows,
            "totals": totals,
            "totals_chart": row_chart(
                [
                    (capfirst(str(kind.label)), count)
                    for kind, count in zip(types, totals, strict=True)
                ]
            ),
            "total": sum(by_municipality.values()),
            "listing": listing,
        },
    )


def _get_event(user: User, pk: int) -> SharingEvent:
    """The sharing event if this user may see it; otherwise 404."""
    return get_object_or_404(
        SharingEvent.objects.visible_to(user)
        .select_related("county", "recording_municipality")
        .prefetch_related("presenters", "attendees", "materials"),
        pk=pk,
    )


def sharing_list(request: AuthenticatedRequest) -> HttpResponse:
    events = (
        SharingEvent.objects.visible_to(request.user)
        .select_related("county")
        .annotate(material_count=count_of(SharingMaterial.objects.all(), "event"))
        .order_by("-held_on", "-pk")
    )
    event_filter = SharingEventFilter(request.GET, queryset=events)
    listing = page_of(request, event_filter.qs)
    on_page = [event.pk for event in listing.page]
    presenters, attendees = (
        grouped(
            relation.through.objects.filter(sharingevent__in=on_page)
            .order_by("municipality__name")
            .values_list("sharingevent", "municipality__name")
        )
        for relation in (SharingEvent.presenters, SharingEvent.attendees)
    )
    return render(
        request,
        "learning/sharing_list.html",
        {
            "filter": event_filter,
            "listing": listing,
            "rows": [(e, presenters[e.pk], attendees[e.pk]) for e in listing.page],
        },
    )


def sharing_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render(request, "learning/sharing_detail.html", {"event": _get_event(request.user, pk)})


def _sharing_form(
    request: AuthenticatedRequest, event: SharingEvent | None, instance: SharingEvent
) -> HttpResponse:
    post = request.method == "POST"
    initial = {}
    if event is None and request.user.municipality_id is not None:
        initial["attendees"] = [request.user.municipality_id]
    form = SharingEventForm(
        request.POST if post else None,
        request.FILES if post else None,
        instance=instance,
        initial=initial,
    )
    if post and form.is_valid():
        try:
            saved = services.save_sharing_event(
                event=event, user=request.user, **form.workflow_data()
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("sharing_detail", saved.pk)
    return render(request, "learning/sharing_form.html", {"form": form, "event": event})


def sharing_create(request: AuthenticatedRequest) -> HttpResponse:
    refuse_forbidden(rules.may_record_sharing_event(request.user))
    return _sharing_form(request, None, SharingEvent())


def sharing_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = _get_event(request.user, pk)
    refuse_forbidden(rules.may_edit_sharing_event(request.user, event))
    return _sharing_form(request, event, copy.copy(event))


def sharing_material(request: AuthenticatedRequest, pk: int, material_pk: int) -> HttpResponseBase:
    material = get_object_or_404(
        SharingMaterial.objects.visible_to(request.user), pk=material_pk, event_id=pk
    )
    return record_file(request, attachment(material.file, material.original_name), obj=material)
