"""Practices for the tests: a municipality's own, in any status."""

from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from practices.models import JointForm, Practice


def make_practice(
    municipality_user: User | None = None, status: str = Practice.Status.DRAFT, **fields: Any
) -> Practice:
    """A practice described by the user's municipality (or kept by the ministry when None)."""
    municipality = municipality_user.municipality if municipality_user else None
    values: dict[str, Any] = {
        "title": "Naabrivalve ümarlaud",
        "place": municipality.name if municipality else "Harjumaa",
        "county": municipality.county if municipality else fields["county"],
        "joint_form": JointForm.COOPERATION,
        "description": "Naabrivalve piirkonnad ja politsei arutavad kord kuus muresid.",
        "municipality": municipality,
        "created_by": municipality_user,
        "status": status,
        "published_at": timezone.now() if status == Practice.Status.PUBLISHED else None,
    }
    values.update(fields)
    practice = Practice.objects.create(**values)
    if municipality:
        practice.municipalities.set([municipality])
    return practice


@pytest.fixture
def draft_of_b(kov_b) -> Practice:
    """An unpublished practice of Keila linn."""
    return make_practice(kov_b, title="Keila koolide turvalisuspäev")


@pytest.fixture
def draft_of_a(kov_a) -> Practice:
    return make_practice(kov_a, title="Rapla noorte ööjalgpall")
