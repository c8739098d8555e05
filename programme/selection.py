"""The programme's selection rules, on plain data: who joins from a call, and why.

The rules (the competition's conditions):
- each county has a limit of participants over all calls (one; Harju and Ida-Viru two), and
  participants from earlier calls count against it;
- each start year of a call has a number of places;
- no application with a result below the call's minimum is selected;
- a municipality that already takes part cannot be selected again.

The proposal is exact: a minimum-cost flow picks the selection with the highest total result,
then keeps as many preferred start years as possible, then prefers earlier submissions.

    source ─(county's free places)─▶ county ─(1)─▶ candidate ─(1, −value)─▶ year ─(places)─▶ sink
    source ─────────────────(all places, cost 0: a place left empty)───────────────────────▶ sink
"""

import enum
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import networkx as nx
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Results are compared to this precision (a millionth of a point).
RESULT_SCALE = 10**6


@dataclass(frozen=True)
class Candidate:
    key: int
    name: str
    county: str
    result: Decimal
    preferred_year: int | None = None
    # Ties are broken by this order: the smaller (the earlier submission) ranks higher.
    order: int = 0
    already_participating: bool = False


@dataclass(frozen=True)
class Rules:
    places: dict[int, int]
    county_limits: dict[str, int]
    minimum_result: Decimal = Decimal("0")
    # Names of municipalities from earlier calls (or imported) that already hold county places.
    taken: dict[str, list[str]] = field(default_factory=dict)
    county_names: dict[str, str] = field(default_factory=dict)

    def free_places(self, county: str) -> int:
        return max(self.county_limits.get(county, 1) - len(self.taken.get(county, [])), 0)

    def county_name(self, county: str) -> str:
        return self.county_names.get(county, county)


class Reason(enum.Enum):
    SELECTED = "selected"
    ALREADY_PARTICIPATING = "already_participating"
    BELOW_MINIMUM = "below_minimum"
    COUNTY_TAKEN_EARLIER = "county_taken_earlier"
    COUNTY_FILLED = "county_filled"
    PLACES_FILLED = "places_filled"


@dataclass(frozen=True)
class Outcome:
    candidate: Candidate
    rank: int
    year: int | None
    reason: Reason
    # The municipalities whose places stopped this one (same county, or everyone selected).
    ahead: tuple[str, ...] = ()
    tie: bool = False

    @property
    def is_selected(self) -> bool:
        return self.year is not None

    @property
    def kept_preferred_year(self) -> bool:
        return self.year is not None and self.year == self.candidate.preferred_year


@dataclass(frozen=True)
class Proposal:
    outcomes: list[Outcome]

    @property
    def selected(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.is_selected]

    @property
    def total_result(self) -> Decimal:
        return sum((outcome.candidate.result for outcome in self.selected), Decimal("0"))

    def assignment(self) -> dict[int, int | None]:
        return {outcome.candidate.key: outcome.year for outcome in self.outcomes}


def ranking(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Highest result first; at equal results the earlier submission first."""
    return sorted(candidates, key=lambda c: (-c.result, c.order, c.key))


def propose(candidates: list[Candidate], rules: Rules) -> Proposal:
    """The selection with the highest total result that breaks no rule, with start years."""
    ranked = ranking(candidates)
    eligible = [
        c for c in ranked if not c.already_participating and c.result >= rules.minimum_result
    ]
    years = _assign_years(_optimal_selection(eligible, rules), rules)
    return Proposal([_outcome(c, rank, years, ranked, rules) for rank, c in enumerate(ranked, 1)])


def _optimal_selection(eligible: list[Candidate], rules: Rules) -> list[Candidate]:
    """Those selected, by a minimum-cost flow; ranked as ``eligible`` is."""
    total_places = sum(rules.places.values())
    if not eligible or total_places == 0:
        return []
    n = len(eligible)
    # Lexicographic weights as one integer cost: the result dominates, then a kept preferred
    # year, then the tie-break order. Each unit is larger than everything below it added up.
    order_unit = 1
    preference_unit = n * n + 1
    result_unit = n * preference_unit + preference_unit
    graph = nx.DiGraph()
    graph.add_node("source", demand=-total_places)
    graph.add_node("sink", demand=total_places)
    graph.add_edge("source", "sink", capacity=total_places, weight=0)
    for year, places in rules.places.items():
        graph.add_edge(("year", year), "sink", capacity=places, weight=0)
    for position, candidate in enumerate(eligible):
        county = ("county", candidate.county)
        if county not in graph:
            graph.add_edge("source", county, capacity=rules.free_places(candidate.county), weight=0)
        node = ("candidate", candidate.key)
        graph.add_edge(county, node, capacity=1, weight=0)
        value = int(candidate.result * RESULT_SCALE) * result_unit + (n - position) * order_unit
        for year in rules.places:
            preferred = preference_unit if year == candidate.preferred_year else 0
            graph.add_edge(node, ("year", year), capacity=1, weight=-(value + preferred))
    flow = nx.min_cost_flow(graph)
    return [c for c in eligible if any(flow[("candidate", c.key)].values())]


def _assign_years(selected: list[Candidate], rules: Rules) -> dict[int, int]:
    """Start years for a selection: in rank order each takes its preferred year while it has
    places, then the rest fill the earliest years left. This keeps as many preferred years as the
    places allow, and where a year is contested the higher result keeps it."""
    free = dict(rules.places)
    years: dict[int, int] = {}
    for candidate in selected:
        if free.get(candidate.preferred_year or 0, 0) > 0:
            years[candidate.key] = candidate.preferred_year  # type: ignore[assignment]
            free[candidate.preferred_year] -= 1  # type: ignore[index]
    for candidate in selected:
        if candidate.key not in years:
            year = min(year for year, places in free.items() if places > 0)
            years[candidate.key] = year
            free[year] -= 1
    return years


def _outcome(
    candidate: Candidate,
    rank: int,
    years: dict[int, int],
    ranked: list[Candidate],
    rules: Rules,
) -> Outcome:
    if candidate.key in years:
        return Outcome(candidate, rank, years[candidate.key], Reason.SELECTED)
    if candidate.already_participating:
        return Outcome(candidate, rank, None, Reason.ALREADY_PARTICIPATING)
    if candidate.result < rules.minimum_result:
        return Outcome(candidate, rank, None, Reason.BELOW_MINIMUM)
    if rules.free_places(candidate.county) == 0:
        return Outcome(
            candidate,
            rank,
            None,
            Reason.COUNTY_TAKEN_EARLIER,
            tuple(rules.taken.get(candidate.county, [])),
        )
    selected = [c for c in ranked if c.key in years]
    same_county = [c for c in selected if c.county == candidate.county]
    # In an optimal selection an eligible candidate is left out only because its county's
    # places or all places went to candidates with at least its result.
    if len(same_county) >= rules.free_places(candidate.county):
        ahead = same_county
        reason = Reason.COUNTY_FILLED
    else:
        ahead = selected
        reason = Reason.PLACES_FILLED
    tie = any(c.result == candidate.result for c in ahead)
    return Outcome(candidate, rank, None, reason, tuple(c.name for c in ahead), tie)


def explanation_facts(outcome: Outcome, rules: Rules) -> tuple[str, dict[str, Any]]:
    """Why the outcome is what it is, as plain data to keep: the reason's code and what its
    explanation names (``explain_facts`` words it in the reader's language)."""
    candidate = outcome.candidate
    facts: dict[str, Any] = {"rank": outcome.rank}
    if outcome.reason is Reason.SELECTED:
        facts |= {"year": outcome.year}
        if candidate.preferred_year is not None and not outcome.kept_preferred_year:
            facts |= {"preferred": candidate.preferred_year}
    elif outcome.reason is Reason.BELOW_MINIMUM:
        facts |= {"result": str(candidate.result), "minimum": str(rules.minimum_result)}
    elif outcome.reason is not Reason.ALREADY_PARTICIPATING:
        facts |= {
            "county": rules.county_name(candidate.county),
            "names": list(outcome.ahead),
            "tie": outcome.tie,
            "places": [[year, count] for year, count in sorted(rules.places.items())],
        }
    return outcome.reason.value, facts


def explain_facts(code: str, facts: dict[str, Any]) -> str:
    """The explanation of a kept reason, in the active language."""
    reason = Reason(code)
    if reason is Reason.SELECTED:
        if facts.get("preferred") is None:
            return _("Selected, rank %(rank)s, starts in %(year)s.") % {
                "rank": facts["rank"],
                "year": facts["year"],
            }
        return _(
            "Selected, rank %(rank)s, starts in %(year)s: the places of the preferred year "
            "%(preferred)s went to applications with higher results."
        ) % {"rank": facts["rank"], "year": facts["year"], "preferred": facts["preferred"]}
    if reason is Reason.ALREADY_PARTICIPATING:
        return _("Not selected: the municipality already takes part in the programme.")
    if reason is Reason.BELOW_MINIMUM:
        return _("Not selected: the result %(result)s is below the minimum of %(minimum)s.") % {
            "result": _number(facts["result"]),
            "minimum": _number(facts["minimum"]),
        }
    county, ahead = facts["county"], facts["names"]
    names = ", ".join(ahead)
    if reason is Reason.COUNTY_TAKEN_EARLIER:
        return _(
            "Not selected: %(county)s's places are taken by participants of earlier calls "
            "(%(names)s)."
        ) % {"county": county, "names": names}
    tie_note = (
        " " + _("Equal results are ranked by submission time: the earlier ranks higher.")
        if facts["tie"]
        else ""
    )
    if reason is Reason.COUNTY_FILLED:
        message = ngettext(
            "Not selected: %(county)s's place went to %(names)s with a higher result.",
            "Not selected: %(county)s's %(count)s places went to %(names)s with higher results.",
            len(ahead),
        ) % {"county": county, "count": len(ahead), "names": names}
        return message + tie_note
    places = ", ".join(f"{year}: {count}" for year, count in facts["places"])
    return (
        _("Not selected: all places (%(places)s) went to applications with higher results.")
        % {"places": places}
        + tie_note
    )


def _number(kept: str) -> str:
    """A kept result as the reader's language writes it, without trailing zeros."""
    return localize(Decimal(kept.replace(",", ".")).normalize())


def explain(outcome: Outcome, rules: Rules) -> str:
    """The outcome in plain language, for the selection page."""
    return explain_facts(*explanation_facts(outcome, rules))


def violations(
    assignment: dict[int, int | None], candidates: list[Candidate], rules: Rules
) -> list[str]:
    """Every rule a (possibly hand-changed) selection breaks, in plain language."""
    by_key = {candidate.key: candidate for candidate in candidates}
    chosen = [(by_key[key], year) for key, year in assignment.items() if year is not None]
    problems = []
    per_year = Counter(year for _candidate, year in chosen)
    for year, count in sorted(per_year.items()):
        if year not in rules.places:
            problems.append(_("%(year)s is not a start year of this call.") % {"year": year})
        elif count > rules.places[year]:
            problems.append(
                _("%(count)s selected to start in %(year)s, but it has %(places)s places.")
                % {"count": count, "year": year, "places": rules.places[year]}
            )
    per_county: dict[str, list[str]] = defaultdict(list)
    for candidate, _year in chosen:
        per_county[candidate.county].append(candidate.name)
    for county, names in sorted(per_county.items()):
        if len(names) > rules.free_places(county):
            problems.append(
                _("%(county)s would have more participants than its limit of %(limit)s.")
                % {"county": rules.county_name(county), "limit": rules.county_limits.get(county, 1)}
            )
    for candidate, _year in chosen:
        if candidate.already_participating:
            problems.append(
                _("%(name)s already takes part in the programme.") % {"name": candidate.name}
            )
        if candidate.result < rules.minimum_result:
            problems.append(
                _("%(name)s has a result below the minimum of %(minimum)s.")
                % {"name": candidate.name, "minimum": rules.minimum_result}
            )
    return problems
