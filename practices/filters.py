from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from practices.models import Approach, JointForm, Practice, PracticeQuerySet
from programme.models import County, PartnerAgency
from turvaportaal.lib.filters import FilterSet

NOT_CLASSIFIED = "none"


class PracticeFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    joint_form = django_filters.ChoiceFilter(
        label=_("Form of joint activity"), choices=JointForm.choices
    )
    approach = django_filters.ChoiceFilter(
        label=_("Approach"),
        choices=[*Approach.choices, (NOT_CLASSIFIED, _("not classified"))],
        method="filter_approach",
    )
    county = django_filters.ModelChoiceFilter(label=_("County"), queryset=County.objects.all())
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner agency"), field_name="partners", queryset=PartnerAgency.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Practice.Status.choices)

    class Meta:
        model = Practice
        fields = ["q", "joint_form", "approach", "county", "partner", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        # Only those who keep practices have unpublished ones to look for.
        if user is None or not (user.has_programme_wide_access or user.municipality_id):
            self.filters.pop("status")

    def filter_text(self, queryset: PracticeQuerySet, name: str, value: str) -> PracticeQuerySet:
        """Practices whose title, description, results or place contain the words."""
        for word in value.split():
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(results__icontains=word)
                | Q(place__icontains=word)
            )
        return queryset

    def filter_approach(
        self, queryset: PracticeQuerySet, name: str, value: str
    ) -> PracticeQuerySet:
        return queryset.filter(approach="" if value == NOT_CLASSIFIED else value)
