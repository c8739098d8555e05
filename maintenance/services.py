"""Backup and restore of a whole installation: the PostgreSQL database (pg_dump's custom format)
and the stored files (under MEDIA_ROOT, or in the object storage's bucket) in one .tar.gz, with a
manifest that a restore checks itself against (rows per table, the sum of the grant ledger, the
files)."""

import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from psycopg import sql

from grants.models import LedgerEntry

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
CLIENT_PACKAGE = "postgresql-client"
# Connection options of settings.DATABASES that the PostgreSQL tools read from the environment.
LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
USER_SCHEMAS = "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'"


class BackupError(Exception):
    """A backup or restore that cannot go on, or a restore that does not match its manifest."""


@dataclass(frozen=True)
class Database:
    """Where a PostgreSQL database is, from settings.DATABASES; the password never leaves the
    environment of the tools."""

    name: str
    user: str = ""
    password: str = field(default="", repr=False)
    host: str = ""
    port: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings_dict: Mapping[str, Any], name: str | None = None) -> "Database":
        if "postgresql" not in settings_dict["ENGINE"]:
            raise BackupError(
                "Backup and restore need PostgreSQL: set DATABASE_URL to a postgres:// URL. "
                "The SQLite demo database is the single file it names (db.sqlite3); copy that "
                "file and MEDIA_ROOT instead."
            )
        return cls(
            name=name or settings_dict["NAME"],
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
            options=dict(settings_dict.get("OPTIONS") or {}),
        )

    def connect(self, autocommit: bool = False) -> psycopg.Connection:
        parameters = {k: v for k, v in self.options.items() if k in LIBPQ_ENVIRONMENT}
        for key in ("user", "password", "host", "port"):
            if getattr(self, key):
                parameters[key] = getattr(self, key)
        return psycopg.connect(dbname=self.name, autocommit=autocommit, **parameters)

    def environment(self) -> dict[str, str]:
        """The environment for pg_dump and pg_restore: the connection, PGPASSWORD included,
        so that nothing secret is on a command line."""
        environment = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PG") or k in ("PGSERVICEFILE", "PGSYSCONFDIR")
        }
        environment["PGDATABASE"] = self.name
        for key, variable in (
            ("user", "PGUSER"),
            ("password", "PGPASSWORD"),
            ("host", "PGHOST"),
            ("port", "PGPORT"),
        ):
            if getattr(self, key):
                environment[variable] = getattr(self, key)
        for key, variable in LIBPQ_ENVIRONMENT.items():
            if key in self.options:
                environment[variable] = str(self.options[key])
        return environment


@dataclass(frozen=True)
class Snapshot:
    """What a backup holds, as the manifest records it."""

    row_counts: dict[str, int]
    ledger_sum: Decimal
    media_files: int
    media_bytes: int

    @property
    def rows(self) -> int:
        return sum(self.row_counts.values())


def backup(database: Database, storage: Storage, output_dir: Path) -> tuple[Path, Snapshot]:
    """Write the database and the stored files to a new archive in output_dir."""
    output_dir = output_dir.resolve()
    if isinstance(storage, FileSystemStorage) and output_dir.is_relative_to(
        Path(storage.location).resolve()
    ):
        raise BackupError(f"The backup folder {output_dir} must not be inside MEDIA_ROOT.")
    pg_dump = _tool("pg_dump")
    output_dir.mkdir(parents=True, exist_ok=True)
    created_at = datetime.now(UTC).replace(microsecond=0)
    archive = output_dir / f"turvaportaal-{created_at:%Y%m%d-%H%M%S}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} exists already; try again in a second.")
    partial = archive.with_name(f".{archive.name}.partial")
    media = sorted(stored_files(storage))
    sizes = {name: storage.size(name) for name in media}
    with tempfile.TemporaryDirectory(prefix="turvaportaal-backup-") as work:
        dump = Path(work) / DUMP
        # The counts and pg_dump read one snapshot of the database, so that they agree even
        # while the portal is writing.
        with database.connect() as connection:
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            [snapshot_id] = _one(connection, "SELECT pg_export_snapshot()")
            server_version = connection.info.parameter_status("server_version") or ""
            server = connection.info.server_version // 10000
            client = _major_version(pg_dump)
            if client < server:
                raise BackupError(
                    f"pg_dump {client} cannot dump PostgreSQL {server}: install "
                    f"{CLIENT_PACKAGE} of version {server} or newer."
                )
            row_counts = _row_counts(connection)
            ledger_sum = _ledger_sum(connection)
            command = [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot_id}"]
            _run([*command, f"--file={dump}"], database)
        snapshot = Snapshot(
            row_counts=row_counts,
            ledger_sum=ledger_sum,
            media_files=len(media),
            media_bytes=sum(sizes.values()),
        )
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "database": database.name,
            "server_version": server_version,
            "row_counts": snapshot.row_counts,
            "ledger_sum": str(snapshot.ledger_sum),
            "media_files": snapshot.media_files,
            "media_bytes": snapshot.media_bytes,
        }
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(created_at.timestamp()), 0o644
                tar.addfile(info, io.BytesIO(data))
                tar.add(dump, arcname=DUMP)
                for name in media:
                    info = tarfile.TarInfo(f"{MEDIA}/{name}")
                    info.size, info.mode = sizes[name], 0o644
                    info.mtime = int(created_at.timestamp())
                    with storage.open(name, "rb") as stored:
                        tar.addfile(info, stored)
            partial.replace(archive)
        finally:
            partial.unlink(missing_ok=True)
    return archive, snapshot


def restore(archive: Path, database: Database, storage: Storage, *, force: bool) -> Snapshot:
    """Restore an archive into database (empty, or emptied when force) and the file store,
    then check the result against the manifest; raise BackupError on any difference."""
    pg_restore = _tool("pg_restore")
    if not archive.is_file():
        raise BackupError(f"No backup at {archive}.")
    with database.connect(autocommit=True) as connection:
        tables = _relations(connection)
    present = sorted(stored_files(storage))
    if not force and tables:
        raise BackupError(
            f"Database {database.name} is not empty ({len(tables)} tables and sequences, such "
            f"as {', '.join(tables[:3])}). Restore into an empty database, or pass --force "
            "(make restore FORCE=1) to drop everything in it first."
        )
    if not force and present:
        raise BackupError(
            f"{describe(storage)} holds {len(present)} files already. Restore into an empty "
            "one, or pass --force (make restore FORCE=1) to write over them."
        )
    with tempfile.TemporaryDirectory(prefix="turvaportaal-restore-") as work:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")
            manifest = json.loads((Path(work) / MANIFEST).read_text())
        except (OSError, tarfile.TarError, ValueError) as error:
            raise BackupError(
                f"{archive} is not a readable Turvaportaal backup: {error}"
            ) from error
        if manifest.get("format") != FORMAT:
            raise BackupError(
                f"{archive} has backup format {manifest.get('format')}, not {FORMAT}."
            )
        if tables:
            _empty(database)
        # Objects belong to the restoring user; one transaction, so a failure leaves nothing.
        command = [pg_restore, "--no-password", "--no-owner", "--no-privileges"]
        command += ["--exit-on-error", "--single-transaction", f"--dbname={database.name}"]
        _run([*command, str(Path(work) / DUMP)], database)
        archived = Path(work) / MEDIA
        media = sorted(path.as_posix() for path in _files(archived))
        for name in media:
            _put(storage, name, archived / name)
    with database.connect() as connection:
        restored = Snapshot(
            row_counts=_row_counts(connection),
            ledger_sum=_ledger_sum(connection),
            media_files=len(media),
            media_bytes=sum(storage.size(name) for name in media),
        )
    _verify(restored, manifest)
    return restored


def _verify(restored: Snapshot, manifest: Mapping[str, Any]) -> None:
    expected: dict[str, int] = manifest["row_counts"]
    problems = [
        f"table {table}: {restored.row_counts.get(table, 'no table')} rows restored, "
        f"{expected.get(table, 'no table')} in the backup"
        for table in sorted(expected.keys() | restored.row_counts.keys())
        if expected.get(table) != restored.row_counts.get(table)
    ]
    if restored.ledger_sum != Decimal(manifest["ledger_sum"]):
        problems.append(
            f"ledger sum: {restored.ledger_sum} restored, {manifest['ledger_sum']} in the backup"
        )
    if (restored.media_files, restored.media_bytes) != (
        manifest["media_files"],
        manifest["media_bytes"],
    ):
        problems.append(
            f"files: {restored.media_files} ({restored.media_bytes} bytes) restored, "
            f"{manifest['media_files']} ({manifest['media_bytes']} bytes) in the backup"
        )
    if problems:
        raise BackupError(
            "THE RESTORE DOES NOT MATCH THE BACKUP'S MANIFEST:\n  " + "\n  ".join(problems)
        )


def _empty(database: Database) -> None:
    """Drop every schema of the database with all in it, and create `public` again with its
    owner and privileges as they were."""
    with database.connect() as connection, connection.transaction():
        schemas = connection.execute(
            "SELECT n.nspname, pg_get_userbyid(n.nspowner) FROM pg_namespace n"
            f" WHERE {USER_SCHEMAS}"
        ).fetchall()
        grants = connection.execute(
            "SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END,"
            " a.privilege_type FROM pg_namespace n, aclexplode(n.nspacl) a"
            " WHERE n.nspname = 'public' AND a.grantee <> n.nspowner"
        ).fetchall()
        for schema, _owner in schemas:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        owner = next((owner for schema, owner in schemas if schema == "public"), None)
        connection.execute(
            sql.SQL("CREATE SCHEMA public AUTHORIZATION {}").format(sql.Identifier(owner))
            if owner
            else "CREATE SCHEMA public"
        )
        for grantee, privilege in grants:
            connection.execute(
                sql.SQL("GRANT {} ON SCHEMA public TO {}").format(
                    sql.SQL(privilege), sql.Identifier(grantee) if grantee else sql.SQL("PUBLIC")
                )
            )


def _relations(connection: psycopg.Connection) -> list[str]:
    """The tables, views and sequences in the database's own schemas."""
    rows = connection.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        f" WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {USER_SCHEMAS} ORDER BY 1, 2"
    ).fetchall()
    return [_table_name(schema, name) for schema, name in rows]


def _row_counts(connection: psycopg.Connection) -> dict[str, int]:
    rows = connection.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        f" WHERE c.relkind IN ('r', 'p') AND {USER_SCHEMAS} ORDER BY 1, 2"
    ).fetchall()
    return {
        _table_name(schema, name): _one(
            connection,
            sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(name)
            ),
        )[0]
        for schema, name in rows
    }


def _ledger_sum(connection: psycopg.Connection) -> Decimal:
    """The sum of every ledger amount, summed exactly by PostgreSQL (numeric)."""
    amount = LedgerEntry._meta.get_field("amount").column
    assert amount is not None
    query = sql.SQL("SELECT COALESCE(SUM({}), 0) FROM {}").format(
        sql.Identifier(amount),
        sql.Identifier(LedgerEntry._meta.db_table),
    )
    return Decimal(_one(connection, query)[0]).quantize(Decimal("0.01"))


def _table_name(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def _one(connection: psycopg.Connection, query: Any) -> tuple[Any, ...]:
    row = connection.execute(query).fetchone()
    assert row is not None
    return tuple(row)


def describe(storage: Storage) -> str:
    """The file store as a person setting it up names it."""
    if isinstance(storage, FileSystemStorage):
        return f"MEDIA_ROOT ({storage.location})"
    return f"S3 bucket {getattr(storage, 'bucket_name', '')}"


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """The names of every file in the store."""
    if isinstance(storage, FileSystemStorage):
        # Regular files only, as on disk: a symbolic link is not followed.
        yield from (path.as_posix() for path in _files(Path(storage.location)))
        return
    folders, names = storage.listdir(folder)
    prefix = f"{folder}/" if folder else ""
    yield from (prefix + name for name in names)
    for subfolder in folders:
        yield from stored_files(storage, prefix + subfolder)


def _put(storage: Storage, name: str, source: Path) -> None:
    """Write the file under exactly its name, over a file of that name if there is one."""
    if storage.exists(name):
        storage.delete(name)
    with source.open("rb") as content:
        saved = storage.save(name, File(content))
    if saved != name:
        raise BackupError(f"{name} was stored as {saved}.")


def _files(root: Path) -> Iterator[Path]:
    """The regular files under root, relative to it (symbolic links are not followed)."""
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install the Debian package {CLIENT_PACKAGE} "
            "(its major version at least the server's)."
        )
    return path


def _major_version(tool: str) -> int:
    output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"\)\s+(\d+)", output)
    if match is None:
        raise BackupError(f"Cannot read the version of {tool}: {output.strip()}")
    return int(match.group(1))


def _run(command: list[str], database: Database) -> None:
    result = subprocess.run(
        command, env=database.environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed (exit {result.returncode}):\n{result.stderr.strip()}"
        )
