import django_filters
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationQuerySet, Status
from programme.models import Call, County
from turvaportaal.lib.filters import FilterSet


class ApplicationFilter(FilterSet):
    call = django_filters.ModelChoiceFilter(label=_("Call"), queryset=Call.objects.all())
    county = django_filters.ModelChoiceFilter(
        label=_("County"), field_name="municipality__county", queryset=County.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    preferred_start_year = django_filters.NumberFilter(label=_("Preferred start year"))
    municipality = django_filters.CharFilter(
        label=_("Municipality"), field_name="municipality__name", lookup_expr="icontains"
    )

    class Meta:
        model = Application
        fields = ["call", "county", "status", "preferred_start_year", "municipality"]

    @property
    def qs(self) -> ApplicationQuerySet:
        return super().qs.select_related("call", "municipality__county")
