"""Turning evaluators' scores into an application's result, on plain data."""

from collections import defaultdict
from decimal import Decimal

# evaluator → criterion → score
Scores = dict[int, dict[int, int]]


def _by_criterion(scores: Scores) -> dict[int, list[int]]:
    per_criterion: dict[int, list[int]] = defaultdict(list)
    for by_criterion in scores.values():
        for criterion, value in by_criterion.items():
            per_criterion[criterion].append(value)
    return per_criterion


def weighted_result(scores: Scores, weights: dict[int, Decimal]) -> Decimal | None:
    """The weighted mean of the criteria, each criterion's score averaged over the evaluators.

    None while no evaluator has scored.
    """
    per_criterion = _by_criterion(scores)
    if not per_criterion:
        return None
    total_weight = sum((weights[criterion] for criterion in per_criterion), Decimal("0"))
    weighted = sum(
        (
            weights[criterion] * Decimal(sum(values)) / len(values)
            for criterion, values in per_criterion.items()
        ),
        Decimal("0"),
    )
    return (weighted / total_weight).quantize(Decimal("0.000001"))


def disagreements(scores: Scores, margin: Decimal) -> list[int]:
    """The criteria on which the evaluators' scores differ by more than the margin."""
    per_criterion = _by_criterion(scores)
    return sorted(
        criterion
        for criterion, values in per_criterion.items()
        if len(values) > 1 and max(values) - min(values) > margin
    )
