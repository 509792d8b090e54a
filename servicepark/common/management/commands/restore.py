"""`servicepark restore FILE`: check a backup, put it in place of the (empty) database, then
compare the row counts with its manifest and verify the audit chain."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from servicepark.common.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `servicepark backup` into an empty database "
        "(--force: replace one that holds data). Exit 0 ok, 2 tool missing, 1 else."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file")
        parser.add_argument(
            "--force", action="store_true", help="replace the data the database already holds"
        )
        parser.add_argument("--lang", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            try:
                result = restore(Path(options["file"]), force=options["force"])
            except BackupError as exc:
                self.stderr.write(str(exc))
                raise SystemExit(exc.exit_code) from exc
            except (DatabaseError, sqlite3.Error) as exc:
                self.stderr.write(_("Database error: %(error)s") % {"error": exc})
                raise SystemExit(1) from exc
            manifest = result.manifest
            problem = result.chain_problem
            for mismatch in result.mismatches:
                self.stderr.write(mismatch)
            if problem is not None:
                self.stderr.write(
                    _("The audit chain is broken at event #%(event)d: %(reason)s")
                    % {"event": problem.event_id, "reason": problem.reason}
                )
            if result.mismatches or problem is not None:
                self.stderr.write(
                    _("The backup was restored, but the database does not match it (see above).")
                )
                raise SystemExit(1)
            counts = manifest["row_counts"]
            self.stdout.write(
                _(
                    "Restored the backup of %(created)s (servicepark %(version)s): %(tables)d "
                    "tables and %(rows)d rows as in its manifest; audit chain intact up to "
                    "event #%(event)d."
                )
                % {
                    "created": manifest["created_at"],
                    "version": manifest["servicepark_version"],
                    "tables": len(counts),
                    "rows": sum(counts.values()),
                    "event": manifest["audit_head"]["last_id"],
                }
            )
            if result.pending_migrations:
                self.stdout.write(
                    _(
                        "This version has %(count)d migrations the backup predates: "
                        "run `servicepark migrate`."
                    )
                    % {"count": result.pending_migrations}
                )
