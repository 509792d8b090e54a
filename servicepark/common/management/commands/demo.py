"""`servicepark demo`: load the seed cases (idempotent: running it again changes nothing)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from servicepark.common.actors import SystemActor
from servicepark.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, load_accounts
from servicepark.demo.clock import replay
from servicepark.demo.history import load_history
from servicepark.demo.incubator import (
    load_incubator_early,
    load_incubator_late,
    load_incubator_today,
)
from servicepark.demo.oversight import schedule_oversight
from servicepark.demo.procurement import load_applications, load_calls, load_procurement
from servicepark.demo.registry import load_generated_organizations, load_seed_organizations
from servicepark.demo.stories import load_people, load_stories
from servicepark.oversight.engine import run as oversight_run
from servicepark.oversight.models import OversightRun
from servicepark.procurement.services.reporting import reports_remind


class Command(BaseCommand):
    help = "Load the demo world of the seed cases (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SERVICEPARK_ALLOW_DEMO:
            raise CommandError("Demo data is disabled in these settings (production?).")
        actor = SystemActor("demo")
        # The past is replayed on its own dates (demo/clock.py), then today's open calls.
        with replay() as clock:
            clock.at("2026-01-05", "09:00")
            orgs = load_seed_organizations(actor)
            load_generated_organizations(actor, umbrella=orgs["xc-assoc"])
            load_accounts(actor, orgs)
            load_people(actor, orgs)
            load_stories(actor, orgs)
            load_incubator_early(actor, clock)
            schedule_oversight(actor, clock)
            clock.at("2026-02-10", "09:00")
            load_procurement(actor)
            load_history(actor, clock)
            load_incubator_late(actor, clock)
            clock.finish()
        load_calls(actor)
        load_applications(actor)
        load_incubator_today(actor)
        reports_remind(actor=actor)
        if not OversightRun.objects.filter(as_of=timezone.localdate()).exists():
            oversight_run(actor=actor)  # today's scheduled run (once: the demo is idempotent)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded. Accounts (password {DEMO_PASSWORD}):"))
        for username, display, _grants in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<15} {display}")
