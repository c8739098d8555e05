from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from counselling.models import CounsellingSession, Topic
from programme.models import Municipality, ServiceProvider
from turvaportaal.lib.widgets import LongSelect


class SessionFilter(django_filters.FilterSet):
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        field_name="participation__municipality",
        queryset=Municipality.objects.none(),
        widget=LongSelect,
    )
    service_provider = django_filters.ModelChoiceFilter(
        label=_("Service provider"), queryset=ServiceProvider.objects.none(), widget=LongSelect
    )
    held_on = django_filters.DateFromToRangeFilter(label=_("Date (from – to)"))
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), choices=Topic.choices, method="filter_topic"
    )
    confirmation = django_filters.ChoiceFilter(
        label=_("Confirmation"), choices=CounsellingSession.Confirmation.choices
    )

    class Meta:
        model = CounsellingSession
        fields = ["municipality", "service_provider", "held_on", "topic", "confirmation"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the user may see is offered, so a choice never names someone else's data.
        self.filters["municipality"].queryset = Municipality.objects.visible_to(user).filter(
            participation__isnull=False
        )
        self.filters["service_provider"].queryset = ServiceProvider.objects.visible_to(user)

    def filter_topic(self, queryset: Any, name: str, value: str) -> Any:
        # Topics are a short JSON list; a quoted match works on PostgreSQL and SQLite alike.
        return queryset.filter(topics__icontains=f'"{value}"') if value else queryset
