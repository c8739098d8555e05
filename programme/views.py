from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.access import AuthenticatedRequest, programme_staff_required
from programme.filters import MunicipalityFilter
from programme.models import Municipality


@programme_staff_required
def municipality_list(request: AuthenticatedRequest) -> HttpResponse:
    municipalities = (
        Municipality.objects.visible_to(request.user)
        .select_related("county")
        .annotate(user_count=Count("users"))
    )
    municipality_filter = MunicipalityFilter(request.GET, queryset=municipalities)
    return render(request, "programme/municipality_list.html", {"filter": municipality_filter})


def municipality_detail(request: AuthenticatedRequest, ehak_code: str) -> HttpResponse:
    municipality = get_object_or_404(
        Municipality.objects.visible_to(request.user).select_related("county"),
        ehak_code=ehak_code,
    )
    people = municipality.users.visible_to(request.user).filter(is_active=True)
    return render(
        request,
        "programme/municipality_detail.html",
        {"municipality": municipality, "people": people},
    )
