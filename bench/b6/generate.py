"""Step 1: generate the synthetic data and load it, in a child process of its own."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.b6.facts import OversightFacts
from bench.b6.params import PASSWORD, SHARES
from bench.b6.procurement import ProcurementChains
from bench.b6.spool import load
from bench.common import ROOT, django_setup

# The entry point: the child runs it with --generate-only.
SCRIPT = ROOT / "bench" / "b6_oversight.py"


class Generator(OversightFacts, ProcurementChains):
    """Deterministic organizations and events, written to one file per table."""

    def run(self) -> dict[str, int]:
        self.organizations()
        self.annual_reports()
        left = max(0, self.events - self.s("oversight_annualreport").rows)
        budget = {name: int(left * share) for name, share in SHARES}
        self.sanctions(budget["sanctions"])
        self.letters(budget["letters"])
        self.rectifications(budget["rectifications"])
        self.listings(budget["listings"])
        self.grades(budget["grades"])
        self.change_requests(budget["change_requests"])
        self.memberships(budget["memberships"])
        self.procurement(budget["procurement"])
        for spool in self.spools.values():
            spool.close()
        return {t: s.rows for t, s in self.spools.items()}


def generate(orgs: int, events: int, workdir: Path, database_url: str) -> int:
    """The `generate` step, in its own process; prints the row counts as JSON on stdout."""
    django_setup()
    from servicepark.accounts.services import user_create
    from servicepark.common.actors import SystemActor
    from servicepark.registry.models import Organization

    if Organization.objects.exists():
        print("b6: the database already holds organizations; use a fresh one", file=sys.stderr)
        return 2
    started = time.perf_counter()
    user = user_create(actor=SystemActor("bench"), username="b6-official", password=PASSWORD)
    gen = Generator(orgs, events, workdir, user.pk)
    counts = gen.run()
    written = time.perf_counter() - started
    print(f"b6: files written in {written:.0f} s; loading", file=sys.stderr)
    load(database_url, gen.spools)
    loaded = time.perf_counter() - started - written
    print(json.dumps({"rows": counts, "write_s": written, "load_s": loaded}))
    return 0


def run_generate(args: argparse.Namespace) -> tuple[dict[str, Any], float]:
    """Generate in a child process, so that the measuring process stays small."""
    env = dict(os.environ, DATABASE_URL=args.database_url)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    cmd = [sys.executable, str(SCRIPT), "--orgs", str(args.orgs), "--events", str(args.events)]
    cmd += ["--workdir", str(args.workdir), "--generate-only"]
    started = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1]), time.perf_counter() - started
