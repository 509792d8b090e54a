"""`servicepark reports remind`: remind providers of reports due within a week and mark the
overdue ones (idempotent; run daily)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from servicepark.common.actors import SystemActor
from servicepark.procurement.services.reporting import reports_remind


class Command(BaseCommand):
    help = "Contract reports: remind of those coming due, mark the overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["remind"])
        parser.add_argument("--lang", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            reminded, overdue = reports_remind(actor=SystemActor("reports remind"))
            self.stdout.write(
                _("%(r)d reminders sent, %(o)d reports marked overdue.")
                % {"r": reminded, "o": overdue}
            )
