"""The main tables as CSV or XLSX for programme staff: each export reads through the table's
``visible_to(user)``, so it holds exactly what its pages would show the user."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, Measurement
from applications.models import Application
from counselling import exports as counselling_exports
from grants.models import LedgerEntry
from learning.models import TrainingParticipant
from programme.models import Participation


@dataclass(frozen=True)
class Table:
    label: Any
    header: Sequence[str]
    rows: Callable[[Any], Iterable[Sequence[object]]]


def _applications(user: Any) -> Iterable[Sequence[object]]:
    for a in Application.objects.visible_to(user).select_related("call", "municipality__county"):
        yield [
            a.call.title,
            a.municipality.ehak_code,
            a.municipality.name,
            a.municipality.county.name,
            a.get_status_display(),
            a.preferred_start_year,
            a.submitted_at or "",
        ]


def _participations(user: Any) -> Iterable[Sequence[object]]:
    for p in Participation.objects.visible_to(user).select_related(
        "municipality__county", "cohort", "service_provider"
    ):
        yield [
            p.municipality.ehak_code,
            p.municipality.name,
            p.municipality.county.name,
            str(p.cohort),
            p.start_on,
            p.end_on,
            p.grant_amount,
            p.service_provider.name if p.service_provider else "",
            p.get_source_display(),
        ]


def _ledger(user: Any) -> Iterable[Sequence[object]]:
    entries = (
        LedgerEntry.objects.visible_to(user)
        .select_related("participation__municipality", "budget_line")
        .order_by("participation__municipality__name", "entry_on", "pk")
    )
    for e in entries.iterator(chunk_size=2000):
        yield [
            e.participation.municipality.name,
            e.entry_on,
            e.get_kind_display(),
            e.budget_line.name if e.budget_line else "",
            e.amount,
            e.description,
            e.supplier,
            e.invoice_number,
            e.reverses_id or "",
        ]


def _trainings(user: Any) -> Iterable[Sequence[object]]:
    participants = TrainingParticipant.objects.visible_to(user).select_related(
        "training", "municipality"
    )
    for p in participants:
        yield [
            p.training.title,
            p.training.get_training_type_display(),
            p.training.starts_on,
            p.municipality.name,
            p.name,
            p.role,
            {True: "yes", False: "no", None: ""}[p.attended],
        ]


def _indicators(user: Any) -> Iterable[Sequence[object]]:
    measurements = (
        Measurement.objects.filter(plan_indicator__plan__in=ActionPlan.objects.visible_to(user))
        .select_related(
            "plan_indicator__indicator", "plan_indicator__plan__participation__municipality"
        )
        .order_by("plan_indicator__plan", "plan_indicator", "measured_on")
    )
    for m in measurements.iterator(chunk_size=2000):
        monitored = m.plan_indicator
        yield [
            monitored.plan.participation.municipality.name,
            monitored.indicator.code,
            monitored.indicator.name,
            monitored.baseline_value,
            monitored.target_value,
            m.measured_on,
            m.value,
            m.source_note,
        ]


TABLES: dict[str, Table] = {
    "applications": Table(
        _("Applications"),
        [
            "call",
            "ehak_code",
            "municipality",
            "county",
            "status",
            "preferred_start_year",
            "submitted_at",
        ],
        _applications,
    ),
    "participations": Table(
        _("Participations"),
        [
            "ehak_code",
            "municipality",
            "county",
            "cohort",
            "start_on",
            "end_on",
            "grant_amount",
            "service_provider",
            "source",
        ],
        _participations,
    ),
    "ledger": Table(
        _("Grant ledger"),
        [
            "municipality",
            "entry_on",
            "kind",
            "budget_line",
            "amount",
            "description",
            "supplier",
            "invoice_number",
            "reverses",
        ],
        _ledger,
    ),
    "counselling": Table(
        _("Counselling sessions"), counselling_exports.HEADER, counselling_exports.session_rows
    ),
    "trainings": Table(
        _("Training participants"),
        ["training", "type", "starts_on", "municipality", "name", "role", "attended"],
        _trainings,
    ),
    "indicators": Table(
        _("Indicator measurements"),
        [
            "municipality",
            "indicator",
            "name",
            "baseline",
            "target",
            "measured_on",
            "value",
            "source",
        ],
        _indicators,
    ),
}
