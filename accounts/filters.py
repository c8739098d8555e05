import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from turvaportaal.lib.filters import FilterSet


class UserFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Name or e-mail"), method="search")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    # By name, as on the applications list: a list of every municipality would be too long.
    municipality = django_filters.CharFilter(
        label=_("Municipality"), field_name="municipality__name", lookup_expr="icontains"
    )

    class Meta:
        model = User
        fields = ["q", "role", "municipality", "service_provider"]

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value))
