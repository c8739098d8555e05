from pathlib import Path

import django_filters
from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from audit.models import Action, AuditEvent
from turvaportaal.lib.filters import FilterSet


def object_types() -> list[tuple[str, str]]:
    """The portal's own kinds of object (its apps sit at the repository root), by name."""
    own = [
        model
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR)
        for model in config.get_models()
    ]
    return sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in own),
        key=lambda choice: choice[1],
    )


class EventFilter(FilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"), choices=Action.choices)
    actor = django_filters.CharFilter(
        label=_("Who (e-mail)"), field_name="actor_label", lookup_expr="icontains"
    )
    at = django_filters.DateFromToRangeFilter(label=_("Date (from – to)"))
    object_type = django_filters.ChoiceFilter(label=_("Object type"), choices=object_types)

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "at", "object_type"]
