import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from programme.services import import_participations


class Command(BaseCommand):
    help = "Take in participations that began before the portal from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: object, path: Path, **options: object) -> None:
        if not path.exists():
            raise CommandError(f"No file at {path}")
        with path.open(encoding="utf-8-sig", newline="") as f:
            report = import_participations(csv.DictReader(f))
        for row in report:
            if row.refused:
                self.stdout.write(
                    self.style.WARNING(f"line {row.line}: {row.municipality}: {row.refused}")
                )
            else:
                self.stdout.write(f"line {row.line}: {row.municipality}: imported")
        imported = sum(1 for row in report if not row.refused)
        self.stdout.write(
            self.style.SUCCESS(f"{imported} imported, {len(report) - imported} refused")
        )
