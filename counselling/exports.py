"""Counselling sessions as spreadsheet rows, for the counselling page's export and the
programme staff's table exports alike."""

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Prefetch

from counselling.models import CounsellingSession, NextStep

HEADER = [
    "municipality",
    "service_provider",
    "held_on",
    "duration_hours",
    "format",
    "topics",
    "attendees",
    "summary",
    "next_steps",
    "confirmation",
]


def session_rows(user: Any) -> Iterator[Sequence[object]]:
    """Every session the user may see, with its attendees and next steps."""
    sessions = (
        CounsellingSession.objects.visible_to(user)
        .select_related("participation__municipality", "service_provider")
        .prefetch_related(
            "attendees",
            Prefetch("next_steps", queryset=NextStep.objects.order_by("due_on", "pk")),
        )
    )
    for session in sessions:
        yield [
            session.participation.municipality.name,
            session.service_provider.name,
            session.held_on,
            session.duration_hours,
            session.get_format_display(),
            ", ".join(session.topic_labels()),
            "; ".join(f"{a.name} ({a.role})" for a in session.attendees.all())
            or session.attendee_count,
            session.summary,
            "; ".join(
                f"{s.description} – {s.owner} – {s.due_on:%d.%m.%Y} – {s.get_status_display()}"
                for s in session.next_steps.all()
            ),
            session.get_confirmation_display(),
        ]
