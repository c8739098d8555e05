"""Every route of the URL configuration, through every include (Django admin left out): the
URL test and the page benchmarks walk the same list."""

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, str | None, set[str]]]:
    """(route, name, its parameters) for every URL pattern, through every include."""
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        params = set(getattr(pattern.pattern, "converters", {}))
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue  # Django admin: is_staff decides
            found += [
                (r, name, params | inner) for r, name, inner in walk(pattern.url_patterns, route)
            ]
        elif isinstance(pattern, URLPattern):
            found.append((route, pattern.name, params))
    return found


def named_routes() -> dict[str, set[str]]:
    """Each route name with its parameters; the first pattern of a name is the one reverse()
    gives (accounts/login/ is named twice, by the portal and by django.contrib.auth.urls)."""
    routes = walk(get_resolver().url_patterns)
    names = dict.fromkeys(name for _route, name, _params in routes if name)
    params = {name: params for _route, name, params in reversed(routes) if name}
    return {name: params[name] for name in names}
