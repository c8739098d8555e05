from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest
from audit.services import record_file
from counselling import exports, rules, services
from counselling.filters import SessionFilter
from counselling.forms import (
    AnswerForm,
    AttendeeFormSet,
    NextStepFormSet,
    SessionForm,
    StepStatusForm,
)
from counselling.models import CounsellingSession, NextStep
from programme.models import Participation
from turvaportaal.lib.charts import ColumnChart, column_chart
from turvaportaal.lib.exports import csv_response, xlsx_response
from turvaportaal.lib.paging import page_of
from turvaportaal.lib.rules import refuse_forbidden

HUNDREDTH = Decimal("0.01")


def _visible_sessions(user: Any) -> Any:
    return CounsellingSession.objects.visible_to(user).select_related(
        "participation__municipality", "service_provider"
    )


def _get_visible_session(user: Any, pk: int) -> CounsellingSession:
    return get_object_or_404(_visible_sessions(user), pk=pk)


def session_list(request: AuthenticatedRequest) -> HttpResponse:
    session_filter = SessionFilter(
        request.GET, queryset=_visible_sessions(request.user), user=request.user
    )
    return render(
        request,
        "counselling/session_list.html",
        {"filter": session_filter, "listing": page_of(request, session_filter.qs)},
    )


def _session_form_page(
    request: AuthenticatedRequest,
    *,
    form: SessionForm,
    attendees: Any,
    steps: Any,
    session: CounsellingSession | None,
    save: Any,
) -> HttpResponse:
    """Bind, save through the service, or show the typed values again with every reason: the
    form's and the workflow's (the rules' not-now among them) beside the form."""
    if request.method == "POST" and all([form.is_valid(), attendees.is_valid(), steps.is_valid()]):
        try:
            saved = save()
        except ValidationError as error:
            form.add_error(None, ValidationError(error.messages))
        else:
            messages.success(request, _("Saved."))
            return redirect("session_detail", saved.pk)
    return render(
        request,
        "counselling/session_form.html",
        {"form": form, "attendees": attendees, "steps": steps, "session": session},
    )


def session_create(request: AuthenticatedRequest) -> HttpResponse:
    refuse_forbidden(rules.may_log_session(request.user))
    data = request.POST if request.method == "POST" else None
    form = SessionForm(
        data,
        participations=Participation.objects.visible_to(request.user),
        initial={"held_on": timezone.localdate()},
    )
    attendees = AttendeeFormSet(data, prefix="attendees")
    steps = NextStepFormSet(data, prefix="steps")
    return _session_form_page(
        request,
        form=form,
        attendees=attendees,
        steps=steps,
        session=None,
        save=lambda: services.log_session(
            participation=form.cleaned_data["participation"],
            details=form.details(),
            attendees=attendees.attendees(),
            next_steps=steps.steps(),
            user=request.user,
        ),
    )


def session_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _get_visible_session(request.user, pk)
    refuse_forbidden(rules.may_correct_session(request.user, session))
    data = request.POST if request.method == "POST" else None
    form = SessionForm(data, instance=session)
    attendees = AttendeeFormSet(
        data,
        prefix="attendees",
        # Typed rows are compared with nothing, so an unchanged attendee is never dropped.
        initial=None
        if data
        else [{"name": a.name, "role": a.role} for a in session.attendees.all()],
    )
    steps = NextStepFormSet(data, prefix="steps")
    return _session_form_page(
        request,
        form=form,
        attendees=attendees,
        steps=steps,
        session=session,
        save=lambda: services.correct_session(
            session=session,
            details=form.details(),
            attendees=attendees.attendees(),
            added_steps=steps.steps(),
            user=request.user,
        ),
    )


def _detail_page(
    request: AuthenticatedRequest, session: CounsellingSession, answer_form: AnswerForm
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "counselling/session_detail.html",
        {
            "session": session,
            "steps": [(step, step.is_overdue(today)) for step in session.next_steps.all()],
            "answer_form": answer_form,
            "status_choices": NextStep.Status.choices,
        },
    )


def session_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _get_visible_session(request.user, pk), AnswerForm())


@require_POST
def session_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _get_visible_session(request.user, pk)
    refuse_forbidden(rules.may_answer_session(request.user, session))
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_session(
                session=session,
                confirm=request.POST.get("answer") == "confirm",
                comment=form.cleaned_data["comment"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, ValidationError(error.messages))
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("session_detail", session.pk)
    # The reasons beside the answer, the comment as it was typed.
    return _detail_page(request, session, form)


@require_POST
def step_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(
        NextStep.objects.visible_to(request.user).select_related("session__participation"),
        pk=pk,
    )
    refuse_forbidden(rules.may_update_step_status(request.user, step))
    form = StepStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a status from the list."))
        services.update_step_status(
            step=step, status=form.cleaned_data["status"], user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The next step's status is saved."))
    return redirect("session_detail", step.session_id)


def _hours(rows: Any, key: str) -> list[dict[str, Any]]:
    """Sums from the database as exact quarter hours (SQLite adds decimals as floats)."""
    return [
        {
            "key": row[key],
            "sessions": row["sessions"],
            "hours": Decimal(row["hours"]).quantize(HUNDREDTH),
        }
        for row in rows
    ]


def _month_chart(months: list[dict[str, Any]]) -> ColumnChart | None:
    """The hours per month as columns, from the first month with a session to the last; a
    month without one is there, empty, so that the time axis stays even."""
    if not months:
        return None
    hours: dict[date, Decimal] = {row["key"]: row["hours"] for row in months}
    month, last = months[0]["key"], months[-1]["key"]
    columns = []
    while month <= last:
        label = date_format(month, pgettext("a month on a chart's axis (a date format)", "M Y"))
        columns.append((label, hours.get(month, Decimal(0))))
        month = (month + timedelta(days=31)).replace(day=1)
    return column_chart(columns)


def totals(request: AuthenticatedRequest) -> HttpResponse:
    sessions = CounsellingSession.objects.visible_to(request.user)
    today = timezone.localdate()
    overdue = (
        NextStep.objects.visible_to(request.user)
        .overdue(today)
        .select_related("session__participation__municipality", "session__service_provider")
    )
    # The long lists, one page each, paged apart; the months are few and shown whole.
    municipality, provider = "participation__municipality__name", "service_provider__name"
    by_municipality = page_of(request, sessions.hours_by(municipality), "municipalities")
    by_provider = page_of(request, sessions.hours_by(provider), "providers")
    by_month = _hours(sessions.hours_by_month(), "month")
    return render(
        request,
        "counselling/totals.html",
        {
            "by_municipality": by_municipality,
            "municipality_rows": _hours(by_municipality.page, municipality),
            "by_provider": by_provider,
            "provider_rows": _hours(by_provider.page, provider),
            "by_month": by_month,
            "month_chart": _month_chart(by_month),
            "overdue": page_of(request, overdue, "steps"),
            "today": today,
        },
    )


def export(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    """Every session the user may see, with its attendees and next steps, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    respond = csv_response if fmt == "csv" else xlsx_response
    return record_file(
        request,
        respond("counselling-sessions", exports.HEADER, exports.session_rows(request.user)),
    )
