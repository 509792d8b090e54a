"""Backups: one zip file holding a consistent snapshot of the database and a manifest (ADR 013).
SQLite: the online backup API. PostgreSQL: `pg_dump -Fc` under a snapshot exported by our own
transaction, so the manifest's row counts and audit head describe exactly what the dump holds."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
import zlib
from contextlib import closing, nullcontext
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import django
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from servicepark.common.audit import GENESIS_HASH, ChainProblem, audit_verify

FORMAT = "servicepark-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables that `migrate` alone fills: a database holding rows only in these counts as empty.
MIGRATE_FILLS = {"django_migrations", "django_content_type", "auth_permission", "geo_division"}
# Connection OPTIONS that libpq also reads from the environment (as PG + the name in capitals).
PG_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "service", "passfile")


class BackupError(Exception):
    """Exit code 2: the output cannot be written or a tool is missing; 1: anything else."""

    def __init__(self, message: str, exit_code: int = 1, **params: object) -> None:
        super().__init__(message % params)
        self.exit_code = exit_code


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    mismatches: list[str]
    chain_problem: ChainProblem | None
    pending_migrations: int


def describe(cursor: Any, vendor: str) -> dict[str, Any]:
    """Rows per table, the latest migration per app and the audit head, as `cursor` sees them."""
    if vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = ANY (current_schemas(false))"
    cursor.execute(sql)
    tables = sorted(str(row[0]) for row in cursor.fetchall())
    counts: dict[str, int] = {}
    for table in tables:
        quoted = table.replace('"', '""')
        cursor.execute(f'SELECT COUNT(*) FROM "{quoted}"')  # noqa: S608 (a quoted name)
        counts[table] = int(cursor.fetchone()[0])
    heads, head = {}, {"last_id": 0, "last_hash": GENESIS_HASH}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app ORDER BY app")
        heads = {str(app): str(name) for app, name in cursor.fetchall()}
    if "common_audithead" in tables:
        cursor.execute("SELECT last_id, last_hash FROM common_audithead WHERE id = 1")
        for last_id, last_hash in cursor.fetchall():
            head = {"last_id": int(last_id), "last_hash": str(last_hash)}
    return {"row_counts": counts, "migrations": heads, "audit_head": head}


def find_pg_tool(name: str) -> str:
    """PATH first, then the newest /usr/lib/postgresql/*/bin (as scripts/testdb.sh does)."""
    if found := shutil.which(name):
        return found
    versions = Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
    candidates = sorted(versions, key=lambda p: [int(n) for n in p.parts[-3].split(".")])
    if candidates:
        return str(candidates[-1])
    message = _("%(tool)s was not found: install the PostgreSQL client programs or add to PATH.")
    raise BackupError(message, 2, tool=name)


def _pg_env() -> dict[str, str]:
    """libpq settings for pg_dump/pg_restore; the password goes in PGPASSWORD, never argv."""
    db = connection.settings_dict
    given = {"HOST": db["HOST"], "PORT": db["PORT"], "USER": db["USER"], "DATABASE": db["NAME"]}
    given |= {"PASSWORD": db["PASSWORD"]} | {o.upper(): db["OPTIONS"].get(o) for o in PG_OPTIONS}
    env = dict(os.environ, PGAPPNAME="servicepark-backup")
    return env | {f"PG{key}": str(value) for key, value in given.items() if value}


def _run(args: list[str]) -> str:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        error = done.stderr.strip() or done.returncode
        raise BackupError(_("%(tool)s failed: %(error)s"), tool=Path(args[0]).name, error=error)
    return done.stdout


def _sqlite_path() -> str | None:
    """The database file, or None for an in-memory database (tests)."""
    in_memory = cast(Any, connection).is_in_memory_db()
    return None if in_memory else str(connection.settings_dict["NAME"])


def _sqlite_copy(source: str | None, target: str | None) -> None:
    """The online backup API in one step: a consistent read of `source`, written under the
    target's lock. None is Django's own connection (an in-memory database in tests)."""

    def opened(path: str | None) -> Any:
        if path is None:
            connection.ensure_connection()
            return nullcontext(connection.connection)
        return closing(sqlite3.connect(path, timeout=20))

    with opened(source) as src, opened(target) as dst:
        src.backup(dst)


def _dump_sqlite(dump: Path) -> dict[str, Any]:
    path = _sqlite_path()
    if path is not None and not Path(path).is_file():
        raise BackupError(_("The database file %(path)s does not exist."), path=path)
    _sqlite_copy(path, str(dump))
    with closing(sqlite3.connect(dump)) as snapshot:
        snapshot.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal file beside it
        return describe(snapshot.cursor(), "sqlite")


def _dump_postgresql(dump: Path) -> dict[str, Any]:
    pg_dump = find_pg_tool("pg_dump")
    base = connections[DEFAULT_DB_ALIAS]
    with closing(type(base)(dict(base.settings_dict), base.alias)) as snap:
        cursor = snap.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        _run([pg_dump, "-Fc", "--no-password", f"--snapshot={snapshot}", f"--file={dump}"])
        info = describe(cursor, "postgresql")
        cursor.execute("ROLLBACK")
        return info


def backup(out: Path) -> dict[str, Any]:
    """Write a backup of the default database to `out` atomically; return its manifest."""
    vendor, out = connection.vendor, out.absolute()
    if vendor not in DUMPS:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(engine)s."), engine=vendor
        )
    cannot_write = _("Cannot write %(path)s: %(error)s")
    try:  # the dump and the container are written next to `out`, then renamed to it
        tmp = tempfile.TemporaryDirectory(prefix=".servicepark-backup-", dir=out.parent)
    except OSError as exc:
        raise BackupError(cannot_write, 2, path=out, error=exc.strerror or exc) from exc
    with tmp as tmpdir:
        dump = Path(tmpdir) / DUMPS[vendor]
        info = _dump_sqlite(dump) if vendor == "sqlite" else _dump_postgresql(dump)
        with dump.open("rb") as fh:
            sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "engine": vendor,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "servicepark_version": metadata.version("servicepark"),
            "django_version": django.get_version(),
            "dump": {"name": dump.name, "size": dump.stat().st_size, "sha256": sha256},
            **info,
        }
        part = Path(tmpdir) / out.name
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                with zipfile.ZipFile(fh, "w", allowZip64=True) as zf:
                    zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
                    method = zipfile.ZIP_DEFLATED if vendor == "sqlite" else zipfile.ZIP_STORED
                    zf.write(dump, dump.name, compress_type=method)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(part, out)
            dir_fd = os.open(out.parent, os.O_RDONLY)  # make the rename itself durable
            os.fsync(dir_fd)
            os.close(dir_fd)
        except OSError as exc:
            raise BackupError(cannot_write, 2, path=out, error=exc.strerror or exc) from exc
    return manifest


def read_backup(path: Path, into: Path) -> tuple[dict[str, Any], Path]:
    """Check the file, its manifest and the dump's checksum; extract the dump into `into`."""
    vendor = connection.vendor
    message = _("%(path)s is not a servicepark backup, or it is damaged.")
    not_a_backup = BackupError(message, path=path)
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise not_a_backup
            if manifest.get("format_version") != FORMAT_VERSION:
                message = _("This backup has format version %(found)s; servicepark reads %(ours)s.")
                raise BackupError(message, found=manifest["format_version"], ours=FORMAT_VERSION)
            if manifest["engine"] != vendor:
                message = _("This backup is of a %(backup)s database; this one is %(ours)s.")
                raise BackupError(message, backup=manifest["engine"], ours=vendor)
            expected = dict(manifest["dump"])
            dump = into / DUMPS[vendor]
            with zf.open(DUMPS[vendor]) as src, dump.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)  # raises if the zip's CRC does not match
    except OSError as exc:
        raise BackupError(
            _("Cannot read %(path)s: %(error)s"), path=path, error=exc.strerror or exc
        ) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, TypeError, ValueError) as exc:
        raise not_a_backup from exc
    with dump.open("rb") as fh:
        sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
    if dump.stat().st_size != expected.get("size") or sha256 != expected.get("sha256"):
        message = _("The checksum of the dump in %(path)s does not match: the file is damaged.")
        raise BackupError(message, path=path)
    if vendor == "sqlite":
        try:
            with closing(sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)) as check:
                verdict = str(check.execute("PRAGMA quick_check").fetchone()[0])
        except sqlite3.Error as exc:
            verdict = str(exc)
        if verdict != "ok":
            message = _("The database in %(path)s is damaged: %(error)s")
            raise BackupError(message, path=path, error=verdict)
    return manifest, dump


def _restore_postgresql(pg_restore: str, dump: Path, toc: str, clean: bool) -> None:
    # Only an extension's owner may comment on or drop it, which the app's role need not be:
    # keep the extensions a database being replaced has; an empty one gets CREATE IF NOT EXISTS.
    skip = (" COMMENT - EXTENSION ", " EXTENSION - ") if clean else (" COMMENT - EXTENSION ",)
    listing = dump.with_suffix(".list")
    listing.write_text("".join(ln for ln in toc.splitlines(True) if not any(s in ln for s in skip)))
    args = [pg_restore, "--no-owner", "--no-privileges", "--single-transaction", "--no-password"]
    if clean:  # drop what is there first, in the same (single) transaction
        args += ["--clean", "--if-exists"]
    connection.close()
    dbname = connection.settings_dict["NAME"]
    _run([*args, f"--use-list={listing}", f"--dbname={dbname}", str(dump)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _verify(manifest: dict[str, Any]) -> RestoreResult:
    with connection.cursor() as cursor:
        info = describe(cursor, connection.vendor)
    found = info["row_counts"]
    mismatches = [
        _("table %(table)s: %(expected)s rows in the backup, %(found)s restored")
        % {"table": table, "expected": expected, "found": found.get(table, "-")}
        for table, expected in sorted(manifest["row_counts"].items())
        if found.get(table) != expected
    ]
    if info["audit_head"] != manifest["audit_head"]:
        message = _("audit head: #%(expected)s in the backup, #%(found)s restored")
        ids = (manifest["audit_head"]["last_id"], info["audit_head"]["last_id"])
        mismatches.append(message % {"expected": ids[0], "found": ids[1]})
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return RestoreResult(manifest, mismatches, audit_verify(), len(pending))


def restore(path: Path, *, force: bool = False) -> RestoreResult:
    """Check the backup, replace the (empty, unless `force`) database by it, verify the result."""
    with tempfile.TemporaryDirectory(prefix="servicepark-restore-") as tmp:
        manifest, dump = read_backup(path, Path(tmp))
        pg_restore, toc = "", ""
        if connection.vendor == "postgresql":
            pg_restore = find_pg_tool("pg_restore")
            toc = _run([pg_restore, "--list", str(dump)])  # can pg_restore read it at all?
        with connection.cursor() as cursor:
            counts = describe(cursor, connection.vendor)["row_counts"]
        held = [table for table, n in counts.items() if n and table not in MIGRATE_FILLS]
        if held and not force:
            message = _(
                "The database already holds data (%(count)d tables, e.g. %(tables)s). Restoring "
                "would replace all of it; nothing was changed. Run again with --force to do so."
            )
            raise BackupError(message, count=len(held), tables=", ".join(held[:3]))
        if connection.vendor == "sqlite":
            connection.close()
            _sqlite_copy(str(dump), _sqlite_path())
        else:
            _restore_postgresql(pg_restore, dump, toc, clean=bool(counts))
    return _verify(manifest)
