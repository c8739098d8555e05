from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from grants.services import ensure_budget
from programme.models import Participation


@receiver(post_save, sender=Participation, dispatch_uid="grants.give_budget")
def give_budget(sender: type, instance: Participation, created: bool, raw: bool, **_: Any) -> None:
    """A participation has its budget from the moment it exists, however it came in (selection,
    import, the admin): the lines its creator planned (``planned_budget``), the rest a reserve."""
    if created and not raw:
        ensure_budget(participation=instance, lines=getattr(instance, "planned_budget", None))
