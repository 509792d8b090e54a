"""`servicepark oversight run [--as-of DATE] [--dry-run]`: the full recompute of the credit
lists' time-driven steps, the early-warning signals, risk scores and alerts. Idempotent; a
past date back-fills, a future date (or --dry-run) previews and stores nothing. Run daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from servicepark.oversight import engine


class Command(BaseCommand):
    help = "Oversight: credit lists, early-warning signals, risk scores and alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--as-of", dest="as_of", default=None, help="YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="evaluate, store nothing")
        parser.add_argument("--lang", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            as_of = None
            if options["as_of"]:
                try:
                    as_of = dt.date.fromisoformat(options["as_of"])
                except ValueError:
                    raise CommandError(
                        _("--as-of takes a date as YYYY-MM-DD, not “%(v)s”.")
                        % {"v": options["as_of"]}
                    ) from None
            outcome = engine.run(as_of=as_of, dry_run=options["dry_run"])
            head = _("As of %(d)s") % {"d": outcome.as_of.isoformat()}
            if not outcome.stored:
                head += " " + _("(preview: nothing was stored)")
            self.stdout.write(head)
            for name, value in outcome.counts.items():
                self.stdout.write(f"  {name}: {value}")
            for error in outcome.errors:
                what = error.get("rule") or error.get("step")
                self.stderr.write(
                    _("  failed, recorded and skipped: %(what)s: %(error)s")
                    % {"what": what, "error": error["error"]}
                )
