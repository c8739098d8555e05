"""The default evaluation criteria of a call, in Estonian and English, read from
applications/data/: the six qualities the call names, the budget and the activity plan, each
with what it judges in the application and a description of every score from 0 to 5."""

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def default_criteria() -> list[dict[str, Any]]:
    """The default criteria as a Criterion's field values, in their order."""
    levels: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"et": [], "en": []})
    for row in sorted(_rows("default_criterion_levels.csv"), key=lambda r: int(r["score"])):
        levels[row["subject"]]["et"].append(row["description_et"])
        levels[row["subject"]]["en"].append(row["description_en"])
    return [
        {
            "order": int(row["order"]),
            "subject": row["subject"],
            "name_et": row["name_et"],
            "name_en": row["name_en"],
            "levels_et": levels[row["subject"]]["et"],
            "levels_en": levels[row["subject"]]["en"],
        }
        for row in _rows("default_criteria.csv")
    ]


def describe_default_criteria(criterion_model: Any) -> None:
    """Give the criteria made before criteria had two languages and levels what the defaults
    know: a criterion named as a default (in Estonian, or in English where the catalogue had no
    translation when it was made) gets its subject, English name and level descriptions, where
    these are still empty. Takes the model so that a migration can pass its historical one."""
    by_name = {}
    for default in default_criteria():
        by_name[default["name_et"]] = by_name[default["name_en"]] = default
    changed = []
    for criterion in criterion_model.objects.filter(name_et__in=by_name):
        default = by_name[criterion.name_et]
        fields = ["subject", "name_en"]
        # Level descriptions only where they fit the criterion's scale.
        if len(default["levels_et"]) <= criterion.scale_max + 1:
            fields += ["levels_et", "levels_en"]
        for field in fields:
            if not getattr(criterion, field):
                setattr(criterion, field, default[field])
        criterion.name_et = default["name_et"]
        changed.append(criterion)
    criterion_model.objects.bulk_update(
        changed, ["subject", "name_et", "name_en", "levels_et", "levels_en"]
    )
