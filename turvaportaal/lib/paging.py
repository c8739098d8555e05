"""Long lists one page at a time, the filter kept in the links to the neighbouring pages."""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
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
