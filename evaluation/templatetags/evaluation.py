"""``{% official_values monitored plan %}``: Statistics Estonia's values of a monitored catalogue
indicator for the plan's municipality, beside the values the municipality entered (neither
replaces the other). Rare events show as sums over several years and rates per 10 000
residents. The plan's official values are read once, for all its indicators."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from actionplans.models import ActionPlan, PlanIndicator
from evaluation.catalogue import PER_RESIDENTS, POPULATION, RARE_WINDOW, TABLES
from evaluation.models import OfficialValue, QuarterlyCounts, count_labels

register = template.Library()


def _values_of(context: template.Context, plan: ActionPlan) -> dict[str, dict[int, OfficialValue]]:
    cache = context.render_context
    key = f"official_values_{plan.pk}"
    if key not in cache:
        found: dict[str, dict[int, OfficialValue]] = {}
        rows = OfficialValue.objects.filter(
            municipality_id=plan.participation.municipality_id,
            indicator__municipality=None,
            indicator__code__in=list(TABLES),
        ).select_related("indicator")
        for value in rows:
            found.setdefault(value.indicator.code, {})[value.year] = value
        cache[key] = found
    return cache[key]


@register.simple_tag(takes_context=True)
def official_values(context: template.Context, monitored: PlanIndicator, plan: ActionPlan) -> Any:
    code = monitored.indicator.code
    entry = TABLES.get(code)
    if entry is None or monitored.indicator.municipality_id is not None:
        return ""
    values = _values_of(context, plan)
    ours, population = values.get(code, {}), values.get(POPULATION, {})
    rows = []
    for year in sorted(ours):
        row: dict[str, Any] = {"year": year, "official": ours[year]}
        if entry.rare:
            span = [y for y in range(year - RARE_WINDOW + 1, year + 1) if entry.comparable(y, year)]
            if len(span) == RARE_WINDOW and all(y in ours and y in population for y in span):
                cases = sum(ours[y].value for y in span)
                residents = sum(population[y].value for y in span)
                row["sum"] = cases
                row["rate"] = cases / residents * PER_RESIDENTS if residents else None
        rows.append(row)
    return SafeString(
        render_to_string(
            "evaluation/_official_values.html",
            {
                "monitored": monitored,
                "entry": entry,
                "rows": rows,
                "rare_window": RARE_WINDOW,
                "latest": max(
                    (r["official"] for r in rows), key=lambda v: v.imported_on, default=None
                ),
            },
            request=context.get("request"),
        )
    )


@register.simple_tag(takes_context=True)
def quarterly_counts(context: template.Context, plan: ActionPlan) -> Any:
    """The plan's participation's Ringist Välja and STAD counts, with the way to record them."""
    rows = QuarterlyCounts.objects.filter(participation_id=plan.participation_id).order_by(
        "-quarter_start_on"
    )
    return SafeString(
        render_to_string(
            "evaluation/_plan_counts.html",
            {
                "counts_rows": rows,
                "counts_labels": count_labels(),
                "counts_totals": list(rows.totals().values()) if rows else [],
                "participation_id": plan.participation_id,
            },
            request=context.get("request"),
        )
    )


@register.filter
def year_span(years: tuple[int, int]) -> str:
    """2020–2022, or 2023 alone when the span is one year."""
    first, last = years
    return str(first) if first == last else f"{first}–{last}"
