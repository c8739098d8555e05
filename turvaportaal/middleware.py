from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware


class EstonianFirstLocaleMiddleware(LocaleMiddleware):
    """Estonian unless the user picked another language with the switcher (a cookie).

    The browser's Accept-Language is not consulted: officials in Estonia often run browsers in
    English but work in Estonian.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
