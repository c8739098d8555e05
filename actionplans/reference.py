"""The catalogue of safety indicators, read from actionplans/data/safety_indicators.csv."""

import csv
from pathlib import Path
from typing import Any

from programme.reference import save_rows

DATA = Path(__file__).resolve().parent / "data" / "safety_indicators.csv"


def load_indicators(indicator_model: Any) -> None:
    """Create the catalogue's indicators that are missing; edits made in the portal stay."""
    with DATA.open(encoding="utf-8", newline="") as f:
        indicators = [
            {
                "code": row["code"],
                "municipality": None,
                "name_et": row["name_et"],
                "name_en": row["name_en"],
                "unit": row["unit"],
                "source_agency": row["source_agency"],
                "frequency": row["frequency"],
                "lower_is_better": row["lower_is_better"] == "true",
                "lowest_grain": row["lowest_grain"],
            }
            for row in csv.DictReader(f)
        ]
    catalogue = indicator_model.objects.filter(municipality=None)
    save_rows(indicators, catalogue, "code", update=False)
