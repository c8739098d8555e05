"""Two beats running the schedule at once (celery beat's own scheduler, over the shared Redis
cache): every scheduled task (reminders, quarterly report, retention, requeue) is sent once."""

import json
import os
from collections import Counter
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from turvaportaal.beat import SingleSendScheduler
from turvaportaal.celery import app as celery_app

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL names no Redis"),
]


def _sent(queue: redis.Redis) -> Counter[str]:
    messages = queue.lrange("celery", 0, -1)
    return Counter(json.loads(message)["headers"]["task"] for message in messages)


def test_two_beats_send_each_scheduled_task_once(tmp_path):
    queue = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue.delete("celery")
    cache.delete_many([f"beat:{name}" for name in settings.CELERY_BEAT_SCHEDULE])
    celery_app.conf.task_always_eager = False
    beats = [
        SingleSendScheduler(app=celery_app, schedule_filename=str(tmp_path / name))
        for name in ("first", "second")
    ]
    # Every entry last ran long ago: all are due now, in both beats.
    for beat in beats:
        for entry in beat.schedule.values():
            entry.last_run_at = celery_app.now() - timedelta(days=120)
    for _ in settings.CELERY_BEAT_SCHEDULE:
        for beat in beats:
            beat.tick()
    try:
        assert _sent(queue) == Counter(
            {entry["task"]: 1 for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        )
        # The next run of an entry is sent again, by whichever beat comes first.
        cache.delete("beat:requeue-stalled-reports")
        for entry in beats[1].schedule.values():
            entry.last_run_at = celery_app.now() - timedelta(days=120)
        beats[1]._heap = None
        for _ in settings.CELERY_BEAT_SCHEDULE:
            beats[1].tick()
        assert _sent(queue)["reports.tasks.requeue_stalled_reports"] == 2
    finally:
        for beat in beats:
            beat.close()
        queue.delete("celery")
