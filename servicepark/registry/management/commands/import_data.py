"""`servicepark import organizations FILE [--dry-run] [--all-or-nothing] [--errors OUT.csv]`.

Exit 0 when every row was stored, 1 when some were rejected, 2 when the file is unusable.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from servicepark.common.actors import SystemActor
from servicepark.registry.services.import_jobs import import_job_finish, import_job_start
from servicepark.registry.services.importing import ImportOutcome, organizations_import


class Command(BaseCommand):
    help = "Import data. Subjects: organizations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subject", choices=["organizations"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only; store nothing")
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="store nothing if any row is rejected"
        )
        parser.add_argument("--errors", type=Path, help="write rejected rows to this CSV file")
        parser.add_argument("--as", dest="as_user", help="act as this user (default: system)")
        parser.add_argument("--lang", default=None, help="language of messages (zh-hans, en)")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        actor: Any = SystemActor("cli")
        if options["as_user"]:
            actor = get_user_model().objects.filter(username=options["as_user"]).first()
            if actor is None:
                raise CommandError(_("No such user: %(u)s") % {"u": options["as_user"]})
        path: Path = options["file"]
        if not path.is_file():
            self.stderr.write(
                _("Unusable file: %(p)s does not exist or is not a file.") % {"p": path}
            )
            sys.exit(2)
        job = import_job_start(
            actor=actor,
            path=path,
            original_name=path.name,
            dry_run=options["dry_run"],
            all_or_nothing=options["all_or_nothing"],
        )
        started = time.monotonic()
        with contextlib.ExitStack() as stack:
            out = None
            if options["errors"]:
                out = stack.enter_context(options["errors"].open("w", encoding="utf-8", newline=""))
            outcome = organizations_import(
                actor=actor,
                path=path,
                job=job,
                errors_out=out,
                dry_run=options["dry_run"],
                all_or_nothing=options["all_or_nothing"],
            )
        import_job_finish(job=job, outcome=outcome)
        self._summary(outcome, time.monotonic() - started, options)
        sys.exit(outcome.exit_code)

    def _summary(self, outcome: ImportOutcome, seconds: float, options: dict[str, Any]) -> None:
        if outcome.unusable:
            self.stderr.write(
                _("Unusable file, nothing stored: %(why)s") % {"why": outcome.unusable}
            )
            return
        self.stdout.write(
            _("%(total)d rows read, %(stored)d stored, %(rejected)d rejected in %(s).1f s.")
            % {
                "total": outcome.rows_total,
                "stored": outcome.rows_stored,
                "rejected": outcome.rows_rejected,
                "s": seconds,
            }
        )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was stored."))
        elif options["all_or_nothing"] and outcome.rows_rejected:
            self.stdout.write(
                _("All or nothing: because some rows were rejected, nothing was stored.")
            )
        if outcome.rows_rejected and options["errors"]:
            self.stdout.write(_("Rejected rows are listed in %(p)s.") % {"p": options["errors"]})
