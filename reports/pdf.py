"""A report printed to PDF: the one module that imports WeasyPrint.

A report's HTML may name only the portal's own static files (its stylesheet); WeasyPrint asks
``portal_url_fetcher`` for every resource, which reads those from the static folders and refuses
everything else, so no report can read a file on the server or reach the network."""

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.documents import Document

# Relative links in a report (``/static/css/print.css``) are joined to this address. The name
# is reserved (RFC 2606) and resolves nowhere: the fetcher answers it from the disk, never the
# network, and a report never links to it.
BASE_URL = "https://turvaportaal.invalid/"

# What a printed page may load from the static folders.
STATIC_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


class RefusedResource(ValueError):
    """A resource a report may not load; WeasyPrint leaves it out and goes on."""


def portal_url_fetcher(url: str, timeout: int = 10, ssl_context: Any = None) -> URLFetcherResponse:
    """The portal's own static file at ``url`` (under STATIC_URL at BASE_URL), found by the
    static files finders; any other URL (file:, data:, http(s) elsewhere, a path outside the
    static folders) raises RefusedResource. Nothing is fetched over the network, so the
    timeout and SSL context WeasyPrint offers are not used."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query:
        raise RefusedResource(f"Not one of the portal's static files: {url}")
    path = unquote(parts.path)
    static = urlsplit(settings.STATIC_URL).path
    if not path.startswith(static):
        raise RefusedResource(f"Not under {static}: {url}")
    name = path.removeprefix(static)
    segments = name.split("/")
    # Checked on the decoded path: "..", "%2e%2e" and "%2f" cannot climb out of the folders.
    if any(s in ("", ".", "..") or "\\" in s or "\x00" in s for s in segments):
        raise RefusedResource(f"Not a plain path: {url}")
    content_type = STATIC_TYPES.get(PurePosixPath(name).suffix.lower())
    if content_type is None:
        raise RefusedResource(f"Not a kind of file a report loads: {url}")
    found = finders.find(name)
    if not isinstance(found, str):
        raise RefusedResource(f"No such static file: {url}")
    with open(found, "rb") as file:
        body = file.read()
    if content_type == "text/css":
        content_type += "; charset=utf-8"
    return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


class PortalURLFetcher(URLFetcher):
    """WeasyPrint 70 takes a URLFetcher instance (it reads the instance's settings when a fetch
    fails and wants a URLFetcherResponse back); this one answers through portal_url_fetcher
    and never opens a connection."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        return portal_url_fetcher(url)


def render_pdf(document: Document, *, language: str) -> bytes:
    """The document printed to PDF, with its title and language in the PDF's metadata."""
    rendered = HTML(
        string=document.html, base_url=BASE_URL, url_fetcher=PortalURLFetcher()
    ).render()
    # The HTML's <title> and <html lang> say the same; set here so that the PDF is right even
    # for a document whose HTML forgot them.
    rendered.metadata.title = document.title
    rendered.metadata.lang = language
    pdf: bytes = rendered.write_pdf()
    return pdf
