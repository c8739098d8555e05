from celery import shared_task

from notifications import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_at_once(notice_ids: list[int]) -> int:
    """E-mail new notices to those who want them at once."""
    return services.email_at_once(notice_ids)


@shared_task
def send_daily_digests() -> int:
    """Daily: each person's digest of the notices they chose to get once a day."""
    return services.send_digests()
