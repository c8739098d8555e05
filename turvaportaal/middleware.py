from collections.abc import Callable

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils.cache import add_never_cache_headers


class EstonianFirstLocaleMiddleware(LocaleMiddleware):
    """Estonian unless the user picked another language with the switcher (a cookie).

    The browser's Accept-Language is not consulted: officials in Estonia often run browsers in
    English but work in Estonian.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class NulAddressMiddleware:
    """An address with a NUL byte (%00) names nothing: 404 before any route sees it.

    PostgreSQL refuses the byte in text, so a view that looked a text parameter up (a
    municipality's code, Django admin's object id) would fail with a 500. One check here covers
    every route, the ones of Django and of the apps alike. It comes after the middleware that
    add their headers to every page, and answers before sign-in is asked for: an address of
    nothing is not worth signing in for.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404
        return self.get_response(request)


class NoStoreMiddleware:
    """No browser or proxy keeps a copy of a signed-in page or of any download: a shared
    computer's back button or cache shows nothing of a person's work once they have left."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = isinstance(response, FileResponse) or response.has_header("Content-Disposition")
        if signed_in or download:
            add_never_cache_headers(response)
        return response
