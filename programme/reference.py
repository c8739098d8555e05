"""Estonia's counties and municipalities, read from the CSV files in programme/data/."""

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def save_rows(rows: list[dict[str, Any]], queryset: Any, key: str, *, update: bool = True) -> None:
    """Bring the table to the file's rows by ``key``: create the missing, and with ``update``
    set the others' values to the file's. A few queries, however many rows: the suite loads the
    reference data again after every test that empties the tables."""
    model = queryset.model
    existing = {getattr(row, key): row for row in queryset}
    missing, changed = [], []
    for values in rows:
        row = existing.get(values[key])
        if row is None:
            missing.append(model(**values))
        elif update and any(getattr(row, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(row, field, value)
            changed.append(row)
    model.objects.bulk_create(missing)
    if changed:
        model.objects.bulk_update(changed, [field for field in rows[0] if field != key])


def load_estonia(county_model: Any, municipality_model: Any) -> None:
    """Create or update every county and municipality from the CSV files; safe to re-run.

    Takes the model classes so that a migration can pass its historical models.
    """
    counties = [
        {
            "ehak_code": row["ehak_code"],
            "name": row["name"],
            "participant_limit": int(row["participant_limit"]),
        }
        for row in read_rows("counties.csv")
    ]
    save_rows(counties, county_model.objects.all(), "ehak_code")
    county_ids = dict(county_model.objects.values_list("ehak_code", "pk"))
    municipalities = [
        {
            "ehak_code": row["ehak_code"],
            "name": row["name"],
            "kind": row["kind"],
            "county_id": county_ids[row["county_ehak_code"]],
            "population": int(row["population"]) if row["population"] else None,
        }
        for row in read_rows("estonia_municipalities.csv")
    ]
    save_rows(municipalities, municipality_model.objects.all(), "ehak_code")


def load_partner_agencies(partner_agency_model: Any) -> None:
    """Create or update the catalogue of partner agencies; safe to re-run."""
    agencies = [
        {
            "code": row["code"],
            "name_et": row["name_et"],
            "name_en": row["name_en"],
            "order": int(row["order"]),
        }
        for row in read_rows("partner_agencies.csv")
    ]
    save_rows(agencies, partner_agency_model.objects.all(), "code")
