"""Who may record a participation's Ringist Välja and STAD counts, and when.

- The municipality's own people record their counts each quarter, and correct them.
- Nobody else does: the ministry reads them (QuarterlyCounts.objects.visible_to).
- A closed participation takes no changes (programme.rules.unless_closed).
"""

from django.utils.translation import gettext as _

from accounts.models import User
from programme.models import Participation
from programme.rules import unless_closed
from turvaportaal.lib.rules import Verdict, forbidden, rule


@rule("evaluation.record_counts")
def may_record_counts(user: User, participation: Participation) -> Verdict:
    """Record or correct a quarter's Ringist Välja and STAD counts."""
    own = user.municipality_id is not None and user.municipality_id == participation.municipality_id
    if not own:
        return forbidden(_("Only the municipality's own people record its counts."))
    return unless_closed(participation)
