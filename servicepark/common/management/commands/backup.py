"""`servicepark backup --out FILE`: a consistent snapshot of the database, with a manifest and
a checksum, in one file (docs/decisions/013-backup-format.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from servicepark.common.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database to one file (exit 0 ok, 2 cannot write/tool missing, 1 else)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="the backup file (replaced atomically)")
        parser.add_argument("--lang", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            try:
                manifest = backup(Path(options["out"]))
            except BackupError as exc:
                self.stderr.write(str(exc))
                raise SystemExit(exc.exit_code) from exc
            except (DatabaseError, sqlite3.Error) as exc:
                self.stderr.write(_("Database error: %(error)s") % {"error": exc})
                raise SystemExit(1) from exc
            counts = manifest["row_counts"]
            self.stdout.write(
                _(
                    "Backup written to %(path)s: %(tables)d tables, %(rows)d rows, audit trail "
                    "up to event #%(event)d; SHA-256 of the dump %(sha256)s."
                )
                % {
                    "path": options["out"],
                    "tables": len(counts),
                    "rows": sum(counts.values()),
                    "event": manifest["audit_head"]["last_id"],
                    "sha256": manifest["dump"]["sha256"],
                }
            )
