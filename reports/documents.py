"""What each report says: the data gathered from every app and the HTML it is printed from.

Each builder renders in the active language (the caller wraps it in translation.override).
Builders read plainly: the pipeline has checked who may see a report before calling one."""

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch
from django.db.models.functions import Lower
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from actionplans.models import (
    ActionPlan,
    Activity,
    Component,
    Measurement,
    PlanIndicator,
    ProgressUpdate,
)
from actionplans.progress import Chart, Point, Progress, chart, progress
from actionplans.services import unmet_components
from applications.evaluation import county_map
from applications.models import Application
from applications.timeline import build_timeline
from counselling.models import CounsellingSession, NextStep
from evaluation.models import QuarterlyCounts, count_labels
from evaluation.summary import programme_counts
from evaluation.summary import summary as evaluation_summary
from grants.models import (
    ZERO,
    OverviewRow,
    ledger_overview,
    ledger_total,
    line_totals,
    year_overview,
)
from learning.models import SharingEvent, TrainingParticipant, TrainingType
from programme.models import Participation

TALLINN = ZoneInfo("Europe/Tallinn")
# The stylesheet by its plain name: the fetcher finds it in the static folders (the hashed name
# {% static %} gives in production exists only after collectstatic).
STYLESHEET = f"{settings.STATIC_URL}css/print.css"
# The running header keeps to one line: a longer title is cut there.
RUNNING_TITLE = 60


@dataclass(frozen=True)
class Document:
    """A report ready to print: its title (for the PDF's metadata) and its HTML."""

    title: str
    html: str


@dataclass(frozen=True)
class IndicatorRow:
    """A monitored indicator as the report shows it: progress and chart at the period's end."""

    monitored: PlanIndicator
    progress: Progress
    chart: Chart
    latest: Point | None
    in_period: list[Point]

    @property
    def bar_width(self) -> int:
        """The progress bar's filled part, 0–100."""
        return max(0, min(100, self.progress.percent or 0))


@dataclass(frozen=True)
class Section:
    """A heading of the programme report and its entry in the table of contents."""

    anchor: str
    title: str
    entries: list[tuple[str, str]]  # (anchor, title) of the headings below it


def municipality_report(
    *, participation: Participation, period_start: date, period_end: date
) -> Document:
    """One municipality's progress in a period: its plan, indicators, money, counselling,
    trainings and sharing."""
    municipality = participation.municipality
    today = timezone.localdate(timezone.now(), TALLINN)
    period = (period_start, period_end)
    plan = ActionPlan.objects.filter(participation=participation).first()
    trained = TrainingParticipant.objects.attended().filter(
        municipality=municipality, training__starts_on__range=period
    )
    events = list(
        SharingEvent.objects.involving(municipality)
        .filter(held_on__range=period)
        .select_related("county")
        .order_by("held_on", "pk")
    )
    presented = set(
        SharingEvent.objects.filter(
            pk__in=[e.pk for e in events], presenters=municipality
        ).values_list("pk", flat=True)
    )
    sessions = CounsellingSession.objects.filter(participation=participation, held_on__range=period)
    [money] = ledger_overview(
        Participation.objects.filter(pk=participation.pk), until_on=period_end
    )
    in_period = {
        line.pk: line.spent
        for line in line_totals(participation, since_on=period_start, until_on=period_end)
    }
    lines = line_totals(participation, until_on=period_end)
    title = _("Progress report: %(municipality)s, %(start)s–%(end)s") % {
        "municipality": municipality.name,
        "start": _short(period_start),
        "end": _short(period_end),
    }
    return _render(
        "pdf/municipality.html",
        title,
        {
            "participation": participation,
            "municipality": municipality,
            "period_start": period_start,
            "period_end": period_end,
            "plan": plan,
            **(_plan_context(plan, period_start, period_end, today) if plan else {}),
            "trained": trained.totals(),
            "trained_by_type": trained.summary_by_type(),
            "events": [(event, event.pk in presented) for event in events],
            "money": money,
            "lines": [(line, in_period.get(line.pk, ZERO)) for line in lines],
            "budget": participation.budget_lines.amount_total(),
            "years": year_overview(participation, until_on=period_end),
            "spent_in_period": participation.ledger_entries.dated(period_start, period_end).spent(),
            "counselling": sessions.summary(),
            "sessions": list(sessions.order_by("held_on", "pk")),
            **_counts_context(participation, period_start, period_end),
            "next_steps": [
                (step, step.is_overdue(today))
                for step in NextStep.objects.filter(session__in=sessions).order_by("due_on", "pk")
            ],
        },
    )


def _plan_context(
    plan: ActionPlan, period_start: date, period_end: date, today: date
) -> dict[str, Any]:
    activities = list(plan.activities.order_by("start_month", "pk"))
    statuses = Counter(activity.status for activity in activities)
    unmet = unmet_components(plan)
    updates = plan.updates.filter(quarter_start_on__range=(period_start, period_end))
    overdue = set(updates.overdue(today).values_list("pk", flat=True))
    monitored = plan.indicators.select_related("indicator").prefetch_related(
        Prefetch("measurements", Measurement.objects.filter(measured_on__lte=period_end))
    )
    return {
        "activities": activities,
        "activity_counts": [(s.label, statuses.get(s.value, 0)) for s in Activity.Status],
        "components": [(component, component not in unmet) for component in Component],
        "revision": plan.revisions.order_by("-number").first(),
        "updates": [(update, update.pk in overdue) for update in updates],
        "indicators": [
            _indicator_row(indicator, period_start, period_end) for indicator in monitored
        ],
    }


def _indicator_row(monitored: PlanIndicator, period_start: date, period_end: date) -> IndicatorRow:
    """Progress and chart from the measurements up to the period's end (prefetched so)."""
    points = [Point(m.measured_on, m.value) for m in monitored.measurements.all()]
    return IndicatorRow(
        monitored=monitored,
        progress=progress(
            monitored.baseline_value,
            monitored.target_value,
            points,
            monitored.indicator.lower_is_better,
        ),
        chart=chart(
            Point(monitored.baseline_on, monitored.baseline_value),
            Point(monitored.target_on, monitored.target_value),
            points,
        ),
        latest=max(points, key=lambda point: point.on) if points else None,
        in_period=[point for point in points if point.on >= period_start],
    )


def _counts_context(
    participation: Participation, period_start: date, period_end: date
) -> dict[str, Any]:
    """The Ringist Välja and STAD counts of the quarters the period touches."""
    first = date(period_start.year, 3 * ((period_start.month - 1) // 3) + 1, 1)
    rows = QuarterlyCounts.objects.filter(
        participation=participation, quarter_start_on__range=(first, period_end)
    ).order_by("quarter_start_on")
    return {
        "counts_rows": rows,
        "counts_labels": count_labels(),
        "counts_totals": list(rows.totals().values()),
    }


def programme_report(*, period_start: date, period_end: date) -> Document:
    """The programme in a period: who takes part, the map, the money, indicator progress,
    counselling and trainings, sharing, and the risks the portal flags. A constant number of
    queries however many participations."""
    today = timezone.localdate(timezone.now(), TALLINN)
    period = (period_start, period_end)
    taking_part = Participation.objects.active_between(period_start, period_end).select_related(
        "municipality__county", "cohort", "service_provider"
    )
    participations = list(
        # The stage at the period's end, or today while the period runs.
        taking_part.with_stage(min(today, period_end))
        .select_related("action_plan")
        .order_by("cohort__start_year", "cohort__stage", "municipality__name")
    )
    ids = [p.pk for p in participations]
    plans = {plan.pk: p for p in participations if (plan := _plan_of(p)) is not None}
    money = {row.participation.pk: row for row in ledger_overview(taking_part, until_on=period_end)}
    flags = [row for row in ledger_overview(taking_part) if _flagged(row)]

    indicators: dict[int, list[IndicatorRow]] = defaultdict(list)
    for monitored in (
        PlanIndicator.objects.filter(plan__in=list(plans))
        .select_related("indicator")
        .prefetch_related(
            Prefetch("measurements", Measurement.objects.filter(measured_on__lte=period_end))
        )
    ):
        indicators[plans[monitored.plan_id].pk].append(
            _indicator_row(monitored, period_start, period_end)
        )

    hours = {
        row["participation_id"]: row
        for row in CounsellingSession.objects.filter(
            participation__in=ids, held_on__range=period
        ).hours_by("participation_id")
    }
    attended = TrainingParticipant.objects.attended().filter(
        training__starts_on__range=period,
        municipality__in=[p.municipality_id for p in participations],
    )
    trained = {
        (row["municipality_id"], row["training__training_type"]): row["people"]
        for row in attended.order_by()
        .values("municipality_id", "training__training_type")
        .annotate(people=Count(Lower("name"), distinct=True))
    }
    trained_people = dict(
        attended.order_by()
        .values_list("municipality_id")
        .annotate(people=Count(Lower("name"), distinct=True))
    )
    types = list(TrainingType)
    rows = [
        {
            "participation": p,
            "plan": _plan_of(p),
            "money": money[p.pk],
            "indicators": indicators.get(p.pk, []),
            "sessions": hours.get(p.pk, {}).get("sessions", 0),
            "hours": Decimal(hours.get(p.pk, {}).get("hours") or 0).quantize(Decimal("0.01")),
            "trained": [trained.get((p.municipality_id, kind.value), 0) for kind in types],
            "trained_people": trained_people.get(p.municipality_id, 0),
        }
        for p in participations
    ]

    sections = [
        Section("participations", _("Participating municipalities"), []),
        Section("map", _("The county map"), []),
        Section("grant", _("Grant disbursed and spent"), []),
        Section(
            "indicators",
            _("Indicator progress"),
            [(f"indicators-{p.pk}", p.municipality.name) for p in participations],
        ),
        Section("counselling", _("Counselling and trainings"), []),
        Section("sharing", _("Sharing experience"), []),
        Section("risks", _("Risks"), []),
        Section("evaluation", _("Participants against the rest"), []),
    ]
    title = _("Programme report %(start)s–%(end)s") % {
        "start": _short(period_start),
        "end": _short(period_end),
    }
    return _render(
        "pdf/programme.html",
        title,
        {
            "period_start": period_start,
            "period_end": period_end,
            "sections": sections,
            "cohorts": [
                (members[0]["participation"].cohort, members)
                for _id, group in groupby(rows, key=lambda row: row["participation"].cohort_id)
                for members in [list(group)]
            ],
            "rows": rows,
            "totals": ledger_total(taking_part, until_on=period_end),
            # The map keeps to the period as the tables do.
            **county_map(name_applicants=False, period=period),
            "types": types,
            # A person belongs to one municipality: the totals add the municipalities' counts.
            "trained_totals": [
                sum(row["trained"][index] for row in rows) for index in range(len(types))
            ],
            "trained_people_total": sum(row["trained_people"] for row in rows),
            "hours_total": sum((row["hours"] for row in rows), Decimal("0")),
            "sessions_total": sum(row["sessions"] for row in rows),
            # Official statistics to this day: the comparison needs every year published.
            "evaluation": evaluation_summary(),
            "counts": programme_counts(period),
            "events": list(
                SharingEvent.objects.filter(held_on__range=period)
                .select_related("county")
                .prefetch_related("presenters", "attendees")
                .order_by("held_on", "pk")
            ),
            "today": today,
            "overdue_updates": _by_municipality(
                ProgressUpdate.objects.overdue(today)
                .filter(plan__participation__in=ids)
                .select_related("plan__participation__municipality")
                .order_by("plan__participation__municipality__name", "quarter_start_on"),
                lambda update: update.plan.participation.municipality.name,
            ),
            "overdue_steps": _by_municipality(
                NextStep.objects.overdue(today)
                .filter(session__participation__in=ids)
                .select_related("session__participation__municipality")
                .order_by("session__participation__municipality__name", "due_on", "pk"),
                lambda step: step.session.participation.municipality.name,
            ),
            "flags": flags,
        },
    )


def _by_municipality[T](rows: Iterable[T], name: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """Rows ordered by municipality, one group per municipality: a risk list stays short."""
    return [(municipality, list(group)) for municipality, group in groupby(rows, key=name)]


def _plan_of(participation: Participation) -> ActionPlan | None:
    try:
        return participation.action_plan
    except ActionPlan.DoesNotExist:
        return None


def _flagged(row: OverviewRow) -> bool:
    return bool(row.refused or row.underspending or row.waiting_long)


def application_document(*, application: Application) -> Document:
    """The application as submitted: every section, the council decision, the history."""
    activities = list(application.activities.prefetch_related("partners"))
    title = _("Application of %(municipality)s: %(call)s") % {
        "municipality": application.municipality.name,
        "call": application.call.title,
    }
    return _render(
        "pdf/application.html",
        title,
        {
            "application": application,
            "team": list(application.team_members.all()),
            "budget_lines": list(application.budget_lines.all()),
            "activities": activities,
            "timeline": build_timeline(
                [(a.title, a.start_month, a.end_month) for a in activities],
                application.call.programme_months,
            ),
            "decisions": list(application.council_decisions.select_related("uploaded_by")),
            "history": list(application.history.select_related("changed_by")),
        },
    )


def _short(day: date) -> str:
    return date_filter(day, "SHORT_DATE_FORMAT")


def _render(template: str, title: str, context: dict[str, Any]) -> Document:
    """The document's HTML, with dates and times in Estonian time."""
    produced_at = timezone.now()
    with timezone.override(TALLINN):
        html = render_to_string(
            template,
            {
                **context,
                "title": title,
                "produced_at": produced_at,
                "stylesheet": STYLESHEET,
                "page_css": _page_css(title, produced_at),
            },
        )
    return Document(title=title, html=html)


def render_document(template: str, title: str, context: dict[str, Any]) -> Document:
    """A document printed from ``template`` outside the report pipeline (a payment claim's
    export): the same page furniture, fonts and Estonian time as the reports."""
    return _render(template, title, context)


def _page_css(title: str, produced_at: Any) -> SafeString:
    """The running header and footer, in the active language: the portal and the report's
    title above, the date produced and "page X of Y" below."""
    produced = _("Produced %(date)s") % {
        "date": date_filter(timezone.localtime(produced_at, TALLINN), "SHORT_DATE_FORMAT")
    }
    portal = _("Turvaportaal · safety development programme")
    # Safe: every text in it went through _css_string.
    return mark_safe(
        "@page {"
        f" @top-left {{ content: {_css_string(portal)}; }}"
        f" @top-right {{ content: {_css_string(_shortened(title, RUNNING_TITLE))}; }}"
        f" @bottom-left {{ content: {_css_string(produced)}; }}"
        f" @bottom-right {{ content: {_page_counter()}; }}"
        " }"
    )


def _shortened(text: str, length: int) -> str:
    return text if len(text) <= length else f"{text[: length - 1].rstrip()}…"


def _page_counter() -> str:
    """ "Page X of Y" as CSS content: the translation's own words around the counters."""
    pattern = _("Page %(page)s of %(pages)s")
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    return " ".join(
        counters.get(part) or _css_string(part)
        for part in re.split(r"(%\(pages?\)s)", pattern)
        if part
    )


def _css_string(text: str) -> str:
    """Text as a quoted CSS string; quotes, backslashes, angle brackets and control characters
    are escaped, so that no text can end the string or the <style> element."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>' or ord(char) < 32 else char for char in text
    )
    return f'"{escaped}"'
