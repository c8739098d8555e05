"""Celery beat's scheduler, safe to run more than once: each due task is sent by the beat that
claims it first in the shared cache (Redis), so two beats (a second started by mistake, or a
replica of the deployment) still send reminders, quarterly reports and retention once."""

import logging
from typing import Any

from celery.beat import PersistentScheduler, ScheduleEntry
from django.core.cache import cache

logger = logging.getLogger(__name__)


class SingleSendScheduler(PersistentScheduler):
    def apply_entry(self, entry: ScheduleEntry, producer: Any = None) -> None:
        if self.claim(entry):
            super().apply_entry(entry, producer=producer)
        else:
            logger.info("Another beat has sent %s (%s) already.", entry.name, entry.task)

    def claim(self, entry: ScheduleEntry) -> bool:
        """Claim this run of the entry. The claim lasts half the time to the entry's next run:
        longer than beats' clocks differ, shorter than the time between two runs."""
        now = self.app.now()
        until_next = entry.schedule.remaining_estimate(now)
        seconds = max(int(until_next.total_seconds() / 2), 1)
        return bool(cache.add(f"beat:{entry.name}", now.isoformat(), timeout=seconds))
