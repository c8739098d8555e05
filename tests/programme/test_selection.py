"""The selection rules on plain data: exact, rule-abiding, explained."""

import itertools
from decimal import Decimal

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from programme.selection import Candidate, Reason, Rules, explain, propose, violations

STAGE_I = {2023: 4, 2024: 4}


def candidate(key, county, result, preferred=None, **extra):
    return Candidate(
        key=key,
        name=f"KOV {key}",
        county=county,
        result=Decimal(str(result)),
        preferred_year=preferred,
        order=key,
        **extra,
    )


def rules(places=None, limits=None, **extra):
    return Rules(places=places or STAGE_I, county_limits=limits or {}, **extra)


def test_one_per_county_and_two_for_harju():
    limits = {"harju": 2, "rapla": 1}
    proposal = propose(
        [
            candidate(1, "harju", 4.5),
            candidate(2, "harju", 4.0),
            candidate(3, "harju", 3.9),
            candidate(4, "rapla", 4.8),
            candidate(5, "rapla", 4.7),
        ],
        rules(limits=limits),
    )
    assert sorted(o.candidate.key for o in proposal.selected) == [1, 2, 4]
    reasons = {o.candidate.key: o.reason for o in proposal.outcomes}
    assert reasons[3] is Reason.COUNTY_FILLED and reasons[5] is Reason.COUNTY_FILLED


def test_preferred_years_are_kept_where_the_places_allow():
    proposal = propose(
        [candidate(k, f"c{k}", 5 - k / 10, preferred=2023) for k in range(1, 6)],
        rules(places={2023: 4, 2024: 4}),
    )
    years = {o.candidate.key: o.year for o in proposal.outcomes}
    assert [years[k] for k in range(1, 5)] == [2023] * 4
    assert years[5] == 2024  # the fifth best: 2023 was full
    assert not proposal.outcomes[4].kept_preferred_year


def test_the_minimum_result_and_earlier_participation_exclude():
    proposal = propose(
        [
            candidate(1, "a", 2.9),
            candidate(2, "b", 4.0, already_participating=True),
            candidate(3, "c", 3.0),
        ],
        rules(minimum_result=Decimal("3.0")),
    )
    reasons = {o.candidate.key: o.reason for o in proposal.outcomes}
    assert reasons == {
        1: Reason.BELOW_MINIMUM,
        2: Reason.ALREADY_PARTICIPATING,
        3: Reason.SELECTED,
    }


def test_counties_filled_in_an_earlier_call_count_against_this_one():
    proposal = propose(
        [candidate(1, "rapla", 5.0), candidate(2, "tartu", 3.0)],
        rules(taken={"rapla": ["Rapla vald"]}, county_names={"rapla": "Rapla maakond"}),
    )
    first, second = proposal.outcomes
    assert first.reason is Reason.COUNTY_TAKEN_EARLIER and first.ahead == ("Rapla vald",)
    assert second.is_selected
    with translation.override("en"):
        assert explain(
            first,
            proposal_rules := rules(
                taken={"rapla": ["Rapla vald"]}, county_names={"rapla": "Rapla maakond"}
            ),
        ) == (
            "Not selected: Rapla maakond's places are taken by participants of earlier calls "
            "(Rapla vald)."
        )
    assert proposal_rules.free_places("rapla") == 0


def test_equal_results_go_to_the_earlier_submission_and_the_page_says_so():
    proposal = propose(
        [candidate(2, "harju", 4.0), candidate(1, "harju", 4.0)],
        rules(limits={"harju": 1}, county_names={"harju": "Harju maakond"}),
    )
    [winner] = proposal.selected
    assert winner.candidate.key == 1
    loser = next(o for o in proposal.outcomes if not o.is_selected)
    with translation.override("en"):
        text = explain(loser, rules(county_names={"harju": "Harju maakond"}))
    assert "Harju maakond's place went to KOV 1" in text
    assert "the earlier ranks higher" in text


def test_all_places_filled_is_explained():
    proposal = propose(
        [candidate(k, f"c{k}", 5 - k / 10) for k in range(1, 4)], rules(places={2025: 2})
    )
    last = proposal.outcomes[-1]
    assert last.reason is Reason.PLACES_FILLED
    with translation.override("en"):
        assert explain(last, rules(places={2025: 2})) == (
            "Not selected: all places (2025: 2) went to applications with higher results."
        )


def test_violations_name_each_broken_rule():
    candidates = [
        candidate(1, "harju", 4.0),
        candidate(2, "harju", 3.0),
        candidate(3, "rapla", 2.0, already_participating=True),
    ]
    with translation.override("en"):
        problems = violations(
            {1: 2023, 2: 2023, 3: 2023},
            candidates,
            rules(places={2023: 2}, limits={"harju": 1}, minimum_result=Decimal("2.5")),
        )
    assert problems == [
        "3 selected to start in 2023, but it has 2 places.",
        "harju would have more participants than its limit of 1.",
        "KOV 3 already takes part in the programme.",
        "KOV 3 has a result below the minimum of 2.5.",
    ]


# Random instances: the proposal never breaks a rule and, on small ones, is optimal.

results = st.decimals(min_value=0, max_value=5, places=1)


@st.composite
def instances(draw, max_candidates=12):
    counties = draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=6, unique=True))
    limits = {county: draw(st.integers(1, 2)) for county in counties}
    years = draw(st.lists(st.sampled_from([2025, 2026, 2027]), min_size=1, max_size=3, unique=True))
    places = {year: draw(st.integers(1, 4)) for year in years}
    taken = {
        county: ["earlier"] for county in counties if draw(st.booleans()) and draw(st.booleans())
    }
    count = draw(st.integers(0, max_candidates))
    candidates = [
        Candidate(
            key=key,
            name=f"KOV {key}",
            county=draw(st.sampled_from(counties)),
            result=draw(results),
            preferred_year=draw(st.one_of(st.none(), st.sampled_from(years))),
            order=draw(st.integers(0, 1000)),
            already_participating=draw(st.booleans()) and draw(st.booleans()),
        )
        for key in range(count)
    ]
    minimum = draw(st.decimals(min_value=0, max_value=3, places=1))
    return candidates, Rules(
        places=places, county_limits=limits, minimum_result=minimum, taken=taken
    )


def brute_force_best_total(candidates, rules):
    eligible = [
        c for c in candidates if not c.already_participating and c.result >= rules.minimum_result
    ]
    capacity = sum(rules.places.values())
    best = Decimal("0")
    for size in range(min(len(eligible), capacity) + 1):
        for chosen in itertools.combinations(eligible, size):
            per_county = {}
            for c in chosen:
                per_county[c.county] = per_county.get(c.county, 0) + 1
            if all(n <= rules.free_places(county) for county, n in per_county.items()):
                best = max(best, sum((c.result for c in chosen), Decimal("0")))
    return best


@settings(max_examples=150, deadline=None)
@given(instances())
def test_no_proposal_breaks_a_rule(instance):
    candidates, rules = instance
    proposal = propose(candidates, rules)
    assert violations(proposal.assignment(), candidates, rules) == []
    assert len(proposal.outcomes) == len(candidates)


@settings(max_examples=150, deadline=None)
@given(instances(max_candidates=12))
def test_the_proposal_is_as_good_as_brute_force(instance):
    candidates, rules = instance
    assert propose(candidates, rules).total_result == brute_force_best_total(candidates, rules)


@settings(max_examples=100, deadline=None)
@given(instances(max_candidates=10))
def test_every_left_out_candidate_has_a_reason_it_can_name(instance):
    candidates, rules = instance
    proposal = propose(candidates, rules)
    selected_results = [o.candidate.result for o in proposal.selected]
    for outcome in proposal.outcomes:
        if outcome.reason in (Reason.COUNTY_FILLED, Reason.PLACES_FILLED):
            assert outcome.ahead
            assert all(result >= outcome.candidate.result for result in selected_results) or (
                outcome.reason is Reason.COUNTY_FILLED
            )
        with translation.override("en"):
            assert explain(outcome, rules)
