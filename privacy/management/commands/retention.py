"""``manage.py retention``: apply the retention table now, as the daily task does;
``--dry-run`` lists what it would act on and changes nothing; ``--markdown`` prints the table
as the README's retention section has it."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from privacy import retention


class Command(BaseCommand):
    help = "Apply the retention table of personal data (privacy/retention.py)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")
        parser.add_argument("--markdown", action="store_true", help="Print the table only.")

    def handle(self, *args: Any, dry_run: bool, markdown: bool, **options: Any) -> None:
        with translation.override("en"):
            if markdown:
                self.stdout.write(retention.markdown(), ending="")
                return
            steps = retention.plan() if dry_run else retention.apply()
            verb = "would be" if dry_run else "were"
            for step in steps:
                self.stdout.write(
                    f"{step.rule.key}: {step.count} {verb} {step.rule.outcome} "
                    f"({step.rule.data}; kept {step.rule.kept_in_words()})"
                )
