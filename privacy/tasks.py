from celery import shared_task

from privacy import retention


@shared_task
def apply_retention() -> dict[str, int]:
    """Apply the retention table (daily, by beat): the number of rows each rule acted on."""
    return {step.rule.key: step.count for step in retention.apply()}
