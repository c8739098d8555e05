from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from maintenance.services import BackupError, Database, describe, restore


class Command(BaseCommand):
    help = (
        "Restore a backup into the database of DATABASE_URL and the file store (MEDIA_ROOT, or "
        "the S3 bucket), then check rows per table, the ledger sum and the files against its "
        "manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="a .tar.gz written by the backup command")
        parser.add_argument(
            "--force",
            action="store_true",
            help="drop everything in a database that is not empty, and write over stored files",
        )
        parser.add_argument(
            "--into",
            metavar="NAME",
            help="restore into this database on the same server instead of DATABASE_URL's",
        )

    def handle(
        self, *args: object, archive: Path, force: bool, into: str | None, **options: object
    ) -> None:
        try:
            database = Database.from_settings(connections[DEFAULT_DB_ALIAS].settings_dict, into)
            snapshot = restore(archive, database, default_storage, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive} into {database.name} and {describe(default_storage)}; checked "
                f"against the manifest: {len(snapshot.row_counts)} tables, {snapshot.rows} rows, "
                f"ledger sum {snapshot.ledger_sum} EUR, {snapshot.media_files} files"
            )
        )
