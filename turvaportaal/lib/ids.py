"""Ids that arrive in request data."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# The largest id a bigint primary key holds.
MAX_ID = 2**63 - 1


def posted_id(value: str | None) -> int | None:
    """The id a button or hidden field names, or None for anything that is no id.

    A lookup with text where a number belongs raises (a server error); None finds nothing.
    """
    if value is None or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


class ModelMultipleIdField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that refuses what is no id before it queries: SQLite cannot
    take a number beyond 64 bits in ``id__in`` and raises instead of finding nothing."""

    def _check_values(self, value: Iterable[Any]) -> Any:
        for pk in value:
            if posted_id(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]
