"""`make backup` and `make restore`: a backup restored into a fresh database and MEDIA_ROOT has
every row, the same ledger sum and the same files; a restore refuses a database not empty
unless forced, and fails loudly when it does not match its manifest."""

import io
import json
import tarfile
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from maintenance.services import Database, _ledger_sum, _row_counts

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="backup and restore need PostgreSQL (DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def scratch_database() -> Iterator[str]:
    """An empty database beside the test database, dropped at the end."""
    name = f"{connection.settings_dict['NAME']}_restore"
    server = Database.from_settings(connection.settings_dict, "postgres")

    def drop() -> None:
        with server.connect(autocommit=True) as admin:
            admin.execute(
                psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    psycopg.sql.Identifier(name)
                )
            )

    drop()
    with server.connect(autocommit=True) as admin:
        admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    yield name
    drop()


def contents(name: str) -> tuple[dict[str, int], object]:
    with Database.from_settings(connection.settings_dict, name).connect() as database:
        return _row_counts(database), _ledger_sum(database)


def make_backup(output: Path) -> Path:
    call_command("backup", output_dir=output, stdout=StringIO())
    [archive] = output.glob("turvaportaal-*.tar.gz")
    return archive


def test_a_backup_restores_into_an_empty_database_with_every_row_and_file(
    settings, tmp_path, scratch_database
):
    call_command("seed_demo", stdout=StringIO())
    upload = default_storage.save("evidence/kviitung.bin", ContentFile(bytes(range(256)) * 40))
    source_media = Path(settings.MEDIA_ROOT)
    files = sorted(p.relative_to(source_media) for p in source_media.rglob("*") if p.is_file())
    assert len(files) >= 2  # the demo's council decision PDFs and the upload above
    source_rows, source_ledger = contents(connection.settings_dict["NAME"])
    assert source_rows["grants_ledgerentry"] > 0 and source_ledger != 0

    archive = make_backup(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert {"manifest.json", "database.dump", f"media/{upload}"} <= set(tar.getnames())
    assert manifest["row_counts"] == source_rows
    assert manifest["ledger_sum"] == str(source_ledger)

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", archive, into=scratch_database, stdout=StringIO())

    assert contents(scratch_database) == (source_rows, source_ledger)
    for path in files:
        assert (settings.MEDIA_ROOT / path).read_bytes() == (source_media / path).read_bytes()

    # Now the database is not empty: a second restore is refused, unless forced.
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", archive, into=scratch_database, stdout=StringIO())
    call_command("restore", archive, into=scratch_database, force=True, stdout=StringIO())
    assert contents(scratch_database) == (source_rows, source_ledger)


def test_a_restore_that_does_not_match_the_manifest_fails_loudly(tmp_path, scratch_database):
    archive = make_backup(tmp_path / "backups")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(tampered, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["ledger_sum"] = "0.01"
                manifest["row_counts"]["programme_municipality"] += 1
                data = json.dumps(manifest).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))

    with pytest.raises(CommandError) as refused:
        call_command("restore", tampered, into=scratch_database, stdout=StringIO())
    message = str(refused.value)
    assert "DOES NOT MATCH" in message
    assert "programme_municipality: 79 rows restored, 80 in the backup" in message
    assert "ledger sum: 0.00 restored, 0.01 in the backup" in message
