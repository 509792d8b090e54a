"""`servicepark purge [--dry-run] [--category C]`: erase personal data and records about
people whose retention period has passed (servicepark/common/retention.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from servicepark.common.actors import SystemActor
from servicepark.common.retention import CATEGORIES, purge


class Command(BaseCommand):
    help = "Erase what has passed its retention period (--dry-run lists it). Exit 0, or 2."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, erase nothing")
        parser.add_argument(
            "--category", choices=[c.code for c in CATEGORIES], help="only this category"
        )
        parser.add_argument("--lang", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            try:
                outcomes = purge(
                    actor=SystemActor("purge"),
                    dry_run=options["dry_run"],
                    only=options["category"],
                )
            except ValueError as exc:
                self.stderr.write(_("Retention settings are wrong: %(error)s") % {"error": exc})
                raise SystemExit(2) from exc
            for o in outcomes:
                rule = o.category.rule % {"days": o.days}
                if options["dry_run"]:
                    line = _("%(label)s: %(n)d would go (%(rule)s)")
                else:
                    line = _("%(label)s: %(n)d erased (%(rule)s)")
                n = o.count if options["dry_run"] else o.erased
                self.stdout.write(line % {"label": o.category.label, "n": n, "rule": rule})
                for item in o.sample if options["dry_run"] else []:
                    self.stdout.write(f"  {item}")
                if options["dry_run"] and o.count > len(o.sample):
                    self.stdout.write("  " + _("… and %(n)d more") % {"n": o.count - len(o.sample)})
            if options["dry_run"]:
                self.stdout.write(_("Dry run: nothing was erased."))
