"""`servicepark awards finalize`: make published results final once their objection period is
over and every objection is answered (run it daily, e.g. from cron or a systemd timer).

Exit 0 when nothing is blocked, 1 when some results wait for answers to objections."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from servicepark.common.actors import SystemActor
from servicepark.procurement.services.bulletins import decisions_finalize_due


class Command(BaseCommand):
    help = "Award results: finalize those whose objection period is over."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["finalize"])
        parser.add_argument("--lang", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            done, blocked = decisions_finalize_due(actor=SystemActor("awards finalize"))
            for decision in done:
                self.stdout.write(
                    _("Final: %(call)s (round %(n)d).")
                    % {"call": decision.call.title, "n": decision.round}
                )
            for decision, why in blocked:
                self.stderr.write(
                    _("Not final: %(call)s (round %(n)d): %(why)s")
                    % {"call": decision.call.title, "n": decision.round, "why": why}
                )
            if not done and not blocked:
                self.stdout.write(_("No result is due."))
        sys.exit(1 if blocked else 0)
