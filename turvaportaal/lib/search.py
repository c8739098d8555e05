"""Indexes for the portal's searches: a trigram GIN index on UPPER(field) serves the
`icontains` filters (PostgreSQL compares UPPER(field) LIKE UPPER('%word%')), and the
answers of the search boxes that choose among long lists (widgets.SearchSelect)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import QuerySet
from django.db.models.functions import Upper
from django.http import HttpRequest, JsonResponse


def trigram_index(field: str, name: str) -> GinIndex:
    """A GIN index with pg_trgm's operators on the upper-cased field."""
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)


class SearchForm(forms.Form):
    # The form refuses NUL characters, which PostgreSQL cannot take in a query.
    q = forms.CharField(max_length=100, required=False, strip=True)


SHORTEST = 2  # letters before a search is made: one letter matches most of the list
FOUND = 20


def found_rows(
    request: HttpRequest, rows: QuerySet[Any], field: str, label: Callable[[Any], str] = str
) -> JsonResponse:
    """The first rows whose ``field`` contains the text of ``?q=``, as the search boxes of
    SearchSelect read them: {"results": [{"id": ..., "label": ...}], "more": bool}. ``rows``
    is what the user may see and choose; the form that takes the choice checks it again."""
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    if len(text) < SHORTEST:
        return JsonResponse({"results": [], "more": False})
    found = list(rows.filter(**{f"{field}__icontains": text})[: FOUND + 1])
    return JsonResponse(
        {
            "results": [{"id": row.pk, "label": label(row)} for row in found[:FOUND]],
            "more": len(found) > FOUND,
        }
    )
