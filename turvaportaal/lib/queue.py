"""Handing work to Celery so that a Redis outage costs no request."""

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError as QueueUnavailable

logger = logging.getLogger(__name__)


def try_queue(task: Task, *args: Any) -> bool:
    """Queue the task; False, instead of an error, when the broker cannot be reached."""
    try:
        # No retries: with the broker down the request would wait for them in vain.
        task.apply_async(args=args, retry=False)
    except (QueueUnavailable, OSError):
        logger.warning("The queue is unavailable; %s was not queued.", task.name, exc_info=True)
        return False
    return True


def send_on_commit(task: Task, *args: Any) -> None:
    """Queue the task once the transaction commits; with the queue down, run it here.

    For short work such as an e-mail: what was saved stays saved, and the message still goes.
    """

    def send() -> None:
        if not try_queue(task, *args):
            result = task.apply(args=args, throw=False)
            if result.failed():
                logger.error("%s failed in the web process: %r", task.name, result.result)

    transaction.on_commit(send)
