import logging

from celery import shared_task

from evaluation.services import import_statistics

logger = logging.getLogger(__name__)


@shared_task
def import_official_statistics() -> int:
    """The monthly import of Statistics Estonia's values; the run keeps what failed."""
    run = import_statistics()
    if run.error:
        logger.error("Statistics Estonia import %s: %s", run.pk, run.error)
    return run.pk
