"""The catalogue of safety indicators, read from actionplans/data/safety_indicators.csv."""

import csv
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "safety_indicators.csv"


def load_indicators(indicator_model: Any) -> None:
    """Create the catalogue's indicators that are missing; edits made in the portal stay."""
    with DATA.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            indicator_model.objects.get_or_create(
                code=row["code"],
                municipality=None,
                defaults={
                    "name_et": row["name_et"],
                    "name_en": row["name_en"],
                    "unit": row["unit"],
                    "source_agency": row["source_agency"],
                    "frequency": row["frequency"],
                    "lower_is_better": row["lower_is_better"] == "true",
                    "lowest_grain": row["lowest_grain"],
                },
            )
