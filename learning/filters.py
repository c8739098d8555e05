import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from learning.models import Organiser, SharingEvent, Training, TrainingType
from programme.models import County
from turvaportaal.lib.filters import FilterSet


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class TrainingFilter(FilterSet):
    training_type = django_filters.ChoiceFilter(label=_("Type"), choices=TrainingType.choices)
    organiser = django_filters.ChoiceFilter(label=_("Organiser"), choices=Organiser.choices)

    class Meta:
        model = Training
        fields = ["training_type", "organiser"]


class SharingEventFilter(FilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=SharingEvent.Level.choices)
    county = django_filters.ModelChoiceFilter(label=_("County"), queryset=County.objects.all())
    year = YearFilter(
        label=_("Year"), field_name="held_on", lookup_expr="year", min_value=2020, max_value=2100
    )

    class Meta:
        model = SharingEvent
        fields = ["level", "county", "year"]
