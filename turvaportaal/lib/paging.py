"""Long lists one page at a time, the filter kept in the links to the neighbouring pages, and
what a page's rows show of their related rows, read for those rows only."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

PER_PAGE = 25


@dataclass(frozen=True)
class Listing:
    """One page of a long list, with the links to its neighbours (the filter kept)."""

    page: Page
    previous_url: str
    next_url: str


def page_of(
    request: HttpRequest, items: Any, param: str = "page", per_page: int = PER_PAGE
) -> Listing:
    """The page the request asks for in ``param``; a page out of range gives the last one."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    return Listing(
        page=page,
        previous_url=link(page.previous_page_number()) if page.has_previous() else "",
        next_url=link(page.next_page_number()) if page.has_next() else "",
    )


def grouped(rows: Iterable[tuple[Any, ...]]) -> dict[Any, list[Any]]:
    """Rows (key, *values) by key, in the rows' order: the value, or the values as a tuple.

    For what a page's rows show of their related rows, read as plain values in one query a
    relation: a prefetch would build a model instance, and a manager, for every name shown."""
    by_key: dict[Any, list[Any]] = defaultdict(list)
    for key, *values in rows:
        by_key[key].append(values[0] if len(values) == 1 else tuple(values))
    return by_key


def count_of(related: QuerySet[Any], field: str) -> Coalesce:
    """How many of the related rows point at each row through `field`, as a subquery.

    A join and GROUP BY would count them for every row before the page is cut, and again in the
    query that counts the pages; a subquery the page count leaves out, and runs for the page's
    rows only."""
    per_row = (
        related.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_row), 0)
