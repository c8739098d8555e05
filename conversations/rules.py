"""Who may write in a participation's thread (turvaportaal.lib.rules).

Who reads it is ``Message.objects.visible_to`` (conversations.models.readable_threads); who
writes is the same people: the municipality's own, the people of the provider assigned to the
participation, and ministry staff. A message is never changed or removed, so posting is the one
action, and a closed participation's thread takes no more (programme.rules.unless_closed).
"""

from django.utils.translation import gettext as _

from accounts.models import Role, User
from programme.models import Participation
from programme.rules import unless_closed
from turvaportaal.lib.rules import Verdict, forbidden, rule


def takes_part(user: User, participation: Participation) -> bool:
    """Whether the person is one of the thread's parties; readable_threads as a test of one
    participation, asked without a query (a list page asks it for each row)."""
    if user.role == Role.MINISTRY:
        return True
    if user.role == Role.MUNICIPALITY:
        return (
            user.municipality_id is not None
            and user.municipality_id == participation.municipality_id
        )
    if user.role == Role.PROVIDER:
        return (
            user.service_provider_id is not None
            and user.service_provider_id == participation.service_provider_id
        )
    return False


@rule("conversations.post")
def may_post(user: User, participation: Participation) -> Verdict:
    """A message, with its files, in the participation's thread."""
    if not takes_part(user, participation):
        return forbidden(
            _(
                "Only the municipality, its service provider and the ministry write in the "
                "participation's messages."
            )
        )
    return unless_closed(participation)
