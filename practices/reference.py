"""The guide's examples of good practice, read from practices/data/guide_examples.csv."""

import csv
from pathlib import Path
from typing import Any

from django.utils import timezone

DATA = Path(__file__).resolve().parent / "data" / "guide_examples.csv"


def read_examples() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_guide_examples(
    practice_model: Any, county_model: Any, municipality_model: Any, partner_agency_model: Any
) -> None:
    """Create the examples that are missing, published and authored by nobody; edits made in
    the portal stay.

    Takes the model classes so that a migration can pass its historical models.
    """
    now = timezone.now()
    for row in read_examples():
        if practice_model.objects.filter(reference_key=row["key"]).exists():
            continue
        practice = practice_model.objects.create(
            reference_key=row["key"],
            title=row["title"],
            place=row["place"],
            county=county_model.objects.get(ehak_code=row["county_ehak_code"]),
            approach=row["approach"],
            joint_form=row["joint_form"],
            description=row["description"],
            results=row["results"],
            other_partners=row["other_partners"],
            contact=row["contact"],
            source=row["source"],
            status="published",
            created_at=now,
            published_at=now,
        )
        practice.municipalities.set(
            municipality_model.objects.filter(ehak_code__in=row["municipality_ehak_codes"].split())
        )
        practice.partners.set(
            partner_agency_model.objects.filter(code__in=row["partner_codes"].split())
        )
