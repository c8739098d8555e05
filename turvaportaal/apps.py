from django.apps import AppConfig


class TurvaportaalConfig(AppConfig):
    """The project's own adjustments to the libraries it runs on."""

    name = "turvaportaal"

    def ready(self) -> None:
        from turvaportaal.lib.choices import read_choices_in_one_query

        read_choices_in_one_query()
