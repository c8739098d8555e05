import django_filters
from django.utils.translation import gettext_lazy as _

from grants.models import LedgerEntry
from turvaportaal.lib.filters import FilterSet


class EntryFilter(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=LedgerEntry.Kind.choices)
    entry_on = django_filters.DateFromToRangeFilter(label=_("Date (from – to)"))
    supplier = django_filters.CharFilter(label=_("Supplier"), lookup_expr="icontains")

    # The ledger page holds the expenditure form too: budget_line, supplier.
    auto_id = "id_filter_%s"

    class Meta:
        model = LedgerEntry
        fields = ["kind", "budget_line", "entry_on", "supplier"]
