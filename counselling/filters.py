from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from counselling.models import CounsellingSession, Topic
from programme.forms import ParticipationChoiceField
from programme.models import Participation, ServiceProvider
from turvaportaal.lib.filters import FilterSet
from turvaportaal.lib.widgets import SearchSelect


class ParticipationFilter(django_filters.ModelChoiceFilter):
    field_class = ParticipationChoiceField


class SessionFilter(FilterSet):
    # Found by name (there can be thousands): the search answers what visible_to lets one see.
    participation = ParticipationFilter(
        label=_("Municipality"),
        queryset=Participation.objects.none(),
        widget=SearchSelect("participation_search"),
    )
    service_provider = django_filters.ModelChoiceFilter(
        label=_("Service provider"), queryset=ServiceProvider.objects.none()
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
        fields = ["participation", "service_provider", "held_on", "topic", "confirmation"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the user may see is offered, so a choice never names someone else's data.
        self.filters["participation"].queryset = Participation.objects.visible_to(
            user
        ).select_related("municipality")
        self.filters["service_provider"].queryset = ServiceProvider.objects.visible_to(user)

    def filter_topic(self, queryset: Any, name: str, value: str) -> Any:
        # Topics are a short JSON list; a quoted match works on PostgreSQL and SQLite alike.
        return queryset.filter(topics__icontains=f'"{value}"') if value else queryset
