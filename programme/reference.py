"""Estonia's counties and municipalities, read from the CSV files in programme/data/."""

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_estonia(county_model: Any, municipality_model: Any) -> None:
    """Create or update every county and municipality from the CSV files; safe to re-run.

    Takes the model classes so that a migration can pass its historical models.
    """
    counties = {}
    for row in read_rows("counties.csv"):
        counties[row["ehak_code"]], _ = county_model.objects.update_or_create(
            ehak_code=row["ehak_code"],
            defaults={"name": row["name"], "participant_limit": int(row["participant_limit"])},
        )
    for row in read_rows("estonia_municipalities.csv"):
        municipality_model.objects.update_or_create(
            ehak_code=row["ehak_code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "county": counties[row["county_ehak_code"]],
                "population": int(row["population"]) if row["population"] else None,
            },
        )


def load_partner_agencies(partner_agency_model: Any) -> None:
    """Create or update the catalogue of partner agencies; safe to re-run."""
    for row in read_rows("partner_agencies.csv"):
        partner_agency_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_et": row["name_et"],
                "name_en": row["name_en"],
                "order": int(row["order"]),
            },
        )
