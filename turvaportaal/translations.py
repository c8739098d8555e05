"""Django's own messages that its Estonian catalogue lacks; marked here so ours translates them."""

from django.utils.translation import gettext_noop

MISSING_FROM_DJANGO = [
    gettext_noop("- Select an option -"),
]
