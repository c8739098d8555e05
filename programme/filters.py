import django_filters
from django.utils.translation import gettext_lazy as _

from programme.models import Municipality
from turvaportaal.lib.filters import FilterSet


class MunicipalityFilter(FilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")

    class Meta:
        model = Municipality
        fields = ["name", "county", "kind"]
