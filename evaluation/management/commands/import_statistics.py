from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluation.catalogue import TABLES
from evaluation.services import import_statistics


class Command(BaseCommand):
    help = "Import Statistics Estonia's values of the catalogue indicators for all municipalities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "codes", nargs="*", choices=sorted(TABLES), help="only these indicators"
        )

    def handle(self, *args: Any, codes: list[str], **options: Any) -> None:
        run = import_statistics(codes=codes)
        self.stdout.write(
            f"{run.created} new, {run.revised} revised, {run.unchanged} unchanged values "
            f"in {run.calls} calls."
        )
        if run.error:
            raise CommandError(run.error)
