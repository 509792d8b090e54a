"""`servicepark backup` / `servicepark restore`: a round trip into an empty database keeps every
row and the audit chain; damaged files, non-empty targets and unwritable outputs are refused.

The round trip restores through the command line (a subprocess) into a second, empty database
of the same engine as the test run: a fresh SQLite file, or a new database on the same
PostgreSQL server. The test database itself may be an in-memory SQLite database."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from servicepark.accounts.services import grant_add, user_create
from servicepark.common.actors import SystemActor
from servicepark.common.backup import describe
from servicepark.registry.tests.factories import make_org


def _seed() -> None:
    """A few objects made through the services, so the audit chain has several events."""
    actor = SystemActor("backup test")
    user = user_create(actor=actor, username="backup-alice", password="test-pass-2026")
    grant_add(actor=actor, user=user, role="official", division_code="510107")
    make_org()


def _state() -> dict[str, Any]:
    with connection.cursor() as cursor:
        return describe(cursor, connection.vendor)


def _call(*args: str) -> tuple[int, str, str]:
    """Run a command in this process (on the test database): exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, "--lang", "en", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _cli(database_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `servicepark ARGS` in a new process on another database (its temporary files, such
    as the test settings' media directory, go to `tmp_path`)."""
    env = dict(os.environ, DATABASE_URL=database_url, TMPDIR=str(tmp_path))
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    return subprocess.run(
        [sys.executable, "-m", "servicepark.cli", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return dict(json.loads(zf.read("manifest.json")))


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A database of the test run's engine with nothing in it."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    db = connection.settings_dict
    name = f"servicepark_restore_{uuid.uuid4().hex[:12]}"
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
    params |= {"password": db["PASSWORD"], "dbname": db["NAME"]}
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    try:
        user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"], safe="")
        yield f"postgres://{user}:{password}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        with psycopg.connect(**params, autocommit=True) as admin:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            admin.execute(drop.format(sql.Identifier(name)))


@pytest.mark.smoke
@pytest.mark.django_db(transaction=True)
def test_round_trip_into_an_empty_database(tmp_path: Path, empty_database_url: str) -> None:
    _seed()
    backup_file = tmp_path / "servicepark.backup"
    code, out, err = _call("backup", "--out", str(backup_file))
    assert code == 0, err
    assert "Backup written to" in out
    manifest = _manifest(backup_file)
    here = _state()
    assert manifest["engine"] == connection.vendor
    assert manifest["row_counts"] == here["row_counts"]
    assert manifest["audit_head"] == here["audit_head"]
    assert manifest["audit_head"]["last_id"] >= 3
    assert manifest["migrations"]["common"] == here["migrations"]["common"]
    assert len(manifest["dump"]["sha256"]) == 64

    restored = _cli(empty_database_url, tmp_path, "restore", str(backup_file), "--lang", "en")
    assert restored.returncode == 0, restored.stderr
    assert "audit chain intact" in restored.stdout

    events = manifest["row_counts"]["common_auditevent"]
    verified = _cli(empty_database_url, tmp_path, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert f"OK: audit chain intact ({events} events)." in verified.stdout

    # The restored database, backed up in turn, holds exactly the same rows and chain.
    again_file = tmp_path / "again.backup"
    again = _cli(empty_database_url, tmp_path, "backup", "--out", str(again_file), "--lang", "en")
    assert again.returncode == 0, again.stderr
    again_manifest = _manifest(again_file)
    for key in ("row_counts", "audit_head", "migrations"):
        assert again_manifest[key] == manifest[key], key


@pytest.mark.django_db(transaction=True)
def test_non_empty_database_is_refused_without_force(tmp_path: Path) -> None:
    backup_file = tmp_path / "servicepark.backup"
    assert _call("backup", "--out", str(backup_file))[0] == 0
    _seed()
    before = _state()

    code, out, err = _call("restore", str(backup_file))

    assert code == 1
    assert "already holds data" in err and "--force" in err and "nothing was changed" in err
    assert _state() == before


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flipped_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _edited_manifest(**changes: Any) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        with zipfile.ZipFile(path) as zf:
            members = {name: zf.read(name) for name in zf.namelist()}
        manifest = json.loads(members["manifest.json"])
        for key, value in changes.items():
            if key == "sha256":
                manifest["dump"]["sha256"] = value
            else:
                manifest[key] = value
        members["manifest.json"] = json.dumps(manifest).encode()
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in members.items():
                zf.writestr(name, data)

    return edit


def _not_a_backup(path: Path) -> None:
    path.write_text("id,name\n1,not a backup\n")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_truncated, "is not a servicepark backup, or it is damaged"),
        (_flipped_byte, "is not a servicepark backup, or it is damaged"),
        (_not_a_backup, "is not a servicepark backup, or it is damaged"),
        (_edited_manifest(sha256="0" * 64), "checksum of the dump"),
        (_edited_manifest(engine="oracle"), "This backup is of a oracle database"),
        (_edited_manifest(format_version=99), "format version 99"),
    ],
    ids=["truncated", "flipped-byte", "not-a-backup", "checksum", "engine", "format-version"],
)
@pytest.mark.django_db(transaction=True)
def test_damaged_or_foreign_file_is_rejected_before_anything_changes(
    tmp_path: Path, damage: Callable[[Path], None], message: str
) -> None:
    _seed()
    backup_file = tmp_path / "servicepark.backup"
    assert _call("backup", "--out", str(backup_file))[0] == 0
    damage(backup_file)
    before = _state()

    code, out, err = _call("restore", str(backup_file), "--force")

    assert code == 1
    assert message in err
    assert _state() == before


def test_missing_backup_file_is_reported(tmp_path: Path) -> None:
    code, out, err = _call("restore", str(tmp_path / "nope.backup"))
    assert code == 1
    assert "Cannot read" in err and "nope.backup" in err


@pytest.mark.django_db
def test_unwritable_output_exits_2_and_leaves_nothing_behind(tmp_path: Path) -> None:
    out_file = tmp_path / "no-such-directory" / "servicepark.backup"
    code, out, err = _call("backup", "--out", str(out_file))
    assert code == 2
    assert "Cannot write" in err
    assert not out_file.parent.exists()


@pytest.mark.django_db(transaction=True)
def test_output_that_is_a_directory_exits_2(tmp_path: Path) -> None:
    out_dir = tmp_path / "a-directory"
    out_dir.mkdir()
    code, out, err = _call("backup", "--out", str(out_dir))
    assert code == 2
    assert "Cannot write" in err
    assert list(tmp_path.iterdir()) == [out_dir]  # no temporary files left behind
