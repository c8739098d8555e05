from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        # Connects the sign-in failure counters of the growing delay.
        from accounts import throttle  # noqa: F401
