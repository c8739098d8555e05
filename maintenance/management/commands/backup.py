from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from maintenance.services import BackupError, Database, backup


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump, custom format), the stored files (MEDIA_ROOT, or the S3 "
        "bucket) and a manifest to one .tar.gz in BACKUP_DIR."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output-dir", type=Path, help="the folder for the archive (default: BACKUP_DIR)"
        )

    def handle(self, *args: object, output_dir: Path | None, **options: object) -> None:
        try:
            database = Database.from_settings(connections[DEFAULT_DB_ALIAS].settings_dict)
            archive, snapshot = backup(
                database, default_storage, output_dir or Path(settings.BACKUP_DIR)
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{archive}: database {database.name} ({len(snapshot.row_counts)} tables, "
                f"{snapshot.rows} rows, ledger sum {snapshot.ledger_sum} EUR) and "
                f"{snapshot.media_files} files ({snapshot.media_bytes} bytes)"
            )
        )
