"""`servicepark audit verify`: check the audit trail's hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from servicepark.common.audit import audit_verify
from servicepark.common.models import AuditEvent


class Command(BaseCommand):
    help = "Audit trail tools. `verify`: exit 0 if intact, else 1 naming the first bad event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        problem = audit_verify()
        if problem is None:
            count = AuditEvent.objects.count()
            self.stdout.write(f"OK: audit chain intact ({count} events).")
            return
        self.stderr.write(f"BROKEN: first bad event #{problem.event_id}: {problem.reason}")
        raise SystemExit(1)
