"""B4: streaming OCDS export of generated contracting processes.

    DATABASE_URL=postgres://... .venv/bin/python bench/b4_ocds.py --processes 100000 \
        --workdir /tmp/x --out bench/results/b4.json

The database must be migrated and hold no calls. Steps:
1. generate PROCESSES published calls, each with an application, a final decision with one
   award, an active (or completed) contract, two milestones and one payment, with bulk_create
   in blocks of 2,000 calls, in a child process (timed separately; not part of the figure),
   then ANALYZE;
2. run `servicepark export ocds --out WORKDIR/ocds.json` as a child process RUNS times; wall
   time and the child's peak RSS (wait4 rusage) of each run;
3. count the releases in the file (one per line) and check the first ones against the schema.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    RESULTS,
    ROOT,
    SERVICEPARK,
    django_setup,
    loadavg,
    machine_info,
    wait_for_quiet,
    write_json,
)

GOAL_RELEASES_PER_S = 3000
GOAL_RSS_MB = 300
BLOCK = 2000
SEED = 20261201
METHODS = (
    ("public_tender", 0.45),
    ("competitive_consultation", 0.15),
    ("competitive_negotiation", 0.05),
    ("inquiry", 0.05),
    ("single_source", 0.05),
    ("invitational_tender", 0.05),
    ("grant", 0.20),
)


def _method(rng: random.Random) -> str:
    r, acc = rng.random(), 0.0
    for method, share in METHODS:
        acc += share
        if r < acc:
            return method
    return "public_tender"


class Generator:
    """Deterministic rows; every block of calls is written with one bulk_create per table."""

    def __init__(self, processes: int, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.processes = processes
        self.serial = itertools.count(1)
        self.start = dt.datetime(2025, 1, 1, 1, 0, tzinfo=dt.UTC)

    def reference_rows(self) -> None:
        from servicepark.geo.models import Division
        from servicepark.procurement.models import Catalogue, CatalogueEntry, Purchaser
        from servicepark.registry.models import Organization
        from servicepark.registry.uscc import make_uscc

        rng = self.rng
        divisions = list(Division.objects.filter(level=3).values_list("code", flat=True)[:60])
        self.purchasers = Purchaser.objects.bulk_create(
            Purchaser(
                name=f"第{i}民政局",
                kind="civil_affairs",
                division_id=code,
                uscc=""
                if i % 5 == 0
                else make_uscc(org_type="social_group", division_code=code, rng=rng),
            )
            for i, code in enumerate(divisions)
        )
        self.items: dict[int, list[int]] = {}
        for p in self.purchasers:
            cat = Catalogue.objects.create(purchaser=p, year=2025, state="published")
            top = CatalogueEntry.objects.create(catalogue=cat, tier=1, code="A01", name="公共服务")
            sub = CatalogueEntry.objects.create(
                catalogue=cat, parent=top, tier=2, code="A0101", name="社会服务"
            )
            items = CatalogueEntry.objects.bulk_create(
                CatalogueEntry(
                    catalogue=cat,
                    parent=sub,
                    tier=3,
                    code=f"A0101{j:02d}",
                    name=f"服务项目{j}",
                    budget=Decimal("5000000.00"),
                )
                for j in range(8)
            )
            self.items[p.pk] = [i.pk for i in items]
        # About one organization for every five processes: most provide several services.
        orgs = []
        for i in range(max(10, self.processes // 5)):
            code = rng.choice(divisions)
            filed = rng.random() < 0.15
            orgs.append(
                Organization(
                    uscc=None
                    if filed
                    else make_uscc(org_type="social_service_agency", division_code=code, rng=rng),
                    filing_number=f"备{i:08d}" if filed else None,
                    name=f"基准公益服务中心{i}",
                    org_type="other" if filed else "social_service_agency",
                    registration_kind="filed" if filed else "direct",
                    division_id=code,
                    status="registered",
                )
            )
        self.orgs = [o.pk for o in Organization.objects.bulk_create(orgs, batch_size=5000)]
        self.associations = self.orgs[:50]

    def block(self, count: int) -> None:
        from servicepark.procurement.models import (
            Application,
            Award,
            Call,
            Contract,
            Decision,
            Milestone,
            Payment,
        )

        rng = self.rng
        calls = []
        for _ in range(count):
            n = next(self.serial)
            purchaser = rng.choice(self.purchasers)
            method = _method(rng)
            opens = self.start + dt.timedelta(minutes=n)
            budget = Decimal(rng.randrange(50_000, 2_000_000)).quantize(Decimal("0.01"))
            from_catalogue = method != "grant" and rng.random() < 0.7
            calls.append(
                Call(
                    purchaser=purchaser,
                    kind="grant" if method == "grant" else "purchase",
                    method=method,
                    catalogue_item_id=rng.choice(self.items[purchaser.pk])
                    if from_catalogue
                    else None,
                    off_catalogue_reason="" if from_catalogue else "试点项目",
                    title=f"基准购买服务项目{n}",
                    description="为辖区居民提供专业社会服务。" * 3,
                    total_budget=budget,
                    per_project_cap=budget,
                    opens_at=opens,
                    closes_at=opens + dt.timedelta(days=30),
                    state="published",
                )
            )
        calls = Call.objects.bulk_create(calls)
        apps = []
        for call in calls:
            org = rng.choice(self.orgs)
            via = rng.choice(self.associations) if rng.random() < 0.1 else org
            apps.append(
                Application(
                    call=call,
                    organization_id=org,
                    applicant_id=via if via != org else org,
                    state="submitted",
                    content={"title": f"{call.title}实施方案", "summary": "服务内容摘要"},
                )
            )
        apps = Application.objects.bulk_create(apps)
        decisions = Decision.objects.bulk_create(
            Decision(
                call=call,
                state="final",
                total_amount=call.total_budget,
                finalized_at=call.closes_at + dt.timedelta(days=20),
            )
            for call in calls
        )
        awards = Award.objects.bulk_create(
            Award(decision=d, application=a, amount=c.total_budget, score=Decimal("88.50"), rank=1)
            for d, a, c in zip(decisions, apps, calls, strict=True)
        )
        contracts = Contract.objects.bulk_create(
            Contract(
                award=award,
                call=call,
                purchaser=call.purchaser,
                provider_id=app.organization_id,
                payee_id=app.applicant_id,
                number=f"B4-{call.pk:08d}",
                title=f"{call.title}服务合同",
                service_content="上门服务",
                beneficiaries="辖区居民",
                quantities="每月 100 人次",
                price=award.amount,
                starts_on=(call.closes_at + dt.timedelta(days=30)).date(),
                ends_on=(call.closes_at + dt.timedelta(days=360)).date(),
                state="completed" if rng.random() < 0.2 else "active",
                purchaser_signed_at=call.closes_at + dt.timedelta(days=25),
                provider_signed_at=call.closes_at + dt.timedelta(days=26),
            )
            for award, call, app in zip(awards, calls, apps, strict=True)
        )
        milestones = Milestone.objects.bulk_create(
            Milestone(
                contract=c,
                seq=seq,
                title="中期" if seq == 1 else "结项",
                deliverable="报告",
                due_on=c.starts_on + dt.timedelta(days=150 * seq),
                amount=(c.price / 2).quantize(Decimal("0.01")),
                state="paid" if seq == 1 else "pending",
                accepted_at=c.provider_signed_at + dt.timedelta(days=140) if seq == 1 else None,
            )
            for c in contracts
            for seq in (1, 2)
        )
        Payment.objects.bulk_create(
            Payment(
                contract_id=m.contract_id,
                kind="milestone",
                milestone=m,
                amount=m.amount,
                payee_id=c.payee_id,
                idempotency_key=f"b4-{m.pk}",
            )
            for m, c in zip(milestones[::2], contracts, strict=True)
        )


def generate(processes: int) -> int:
    """The `generate` step, in its own process: exit 2 when the database already holds calls."""
    django_setup()
    from django.db import connection, transaction

    from servicepark.procurement.models import Call

    if Call.objects.exists():
        print("b4: the database already holds calls; use a fresh one", file=sys.stderr)
        return 2
    gen = Generator(processes)
    with transaction.atomic():
        gen.reference_rows()
    done = 0
    while done < processes:
        n = min(BLOCK, processes - done)
        with transaction.atomic():
            gen.block(n)
        done += n
        if done % 20000 == 0 or done == processes:
            print(f"b4: {done:,} processes generated", file=sys.stderr)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return 0


def run_generate(processes: int, database_url: str) -> float:
    """Generate in a child process. The parent stays small: a child's peak RSS as wait4 reports
    it starts from the parent's at the fork, and the generator holds a block of model objects."""
    env = dict(os.environ, DATABASE_URL=database_url)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    cmd = [sys.executable, __file__, "--processes", str(processes), "--workdir", "."]
    cmd.append("--generate-only")
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    return time.perf_counter() - started


def run_export(out: Path, database_url: str) -> dict[str, Any]:
    env = dict(os.environ, DATABASE_URL=database_url)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    cmd = [str(SERVICEPARK), "export", "ocds", "--out", str(out), "--lang", "en"]
    log = out.with_suffix(".log")
    with log.open("wb") as fh:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    return {
        "command": " ".join(["servicepark", *cmd[1:]]),
        "exit_code": os.waitstatus_to_exitcode(status),
        "wall_s": round(wall, 3),
        "user_cpu_s": round(usage.ru_utime, 2),
        "sys_cpu_s": round(usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "output": log.read_text(errors="replace").strip()[-2000:],
    }


def inspect(path: Path, sample: int) -> dict[str, Any]:
    """Count the releases (one a line) and validate the package head with `sample` releases."""
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    releases, head = 0, []
    with path.open(encoding="utf-8") as fh:
        first = fh.readline()
        for line in fh:
            if line.startswith('{"ocid"'):
                releases += 1
                if len(head) < sample:
                    head.append(json.loads(line.rstrip().rstrip(",")))
    package = json.loads(first + "]}")
    package["releases"] = head
    standards = ROOT.parent / "shared" / "standards" / "ocds-1.1"
    release = json.loads((standards / "release-schema.json").read_text(encoding="utf-8"))
    schema = json.loads((standards / "release-package-schema.json").read_text(encoding="utf-8"))
    registry: Registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    validator = Draft4Validator(
        schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )
    problems = [e.message for e in validator.iter_errors(package)][:5]
    return {
        "releases": releases,
        "bytes": path.stat().st_size,
        "sample_checked": len(head),
        "sample_errors": problems,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--processes", type=int, default=int(os.environ.get("BENCH_B4_PROCESSES", 100_000))
    )
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--workdir", type=Path, required=True, help="where the export goes")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--out", type=Path, default=RESULTS / "b4_ocds.json")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("a PostgreSQL DATABASE_URL is required")
    if args.generate_only:
        return generate(args.processes)
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"b4: generating {args.processes:,} contracting processes", file=sys.stderr)
    try:
        gen_s = run_generate(args.processes, args.database_url)
    except subprocess.CalledProcessError:
        return 1
    print(f"b4: generated in {gen_s:.0f} s; exporting", file=sys.stderr)

    path = args.workdir / "ocds.json"
    runs = []
    quiet = wait_for_quiet()
    for i in range(args.runs):
        run = run_export(path, args.database_url)
        facts = inspect(path, sample=200)
        run.update(facts, releases_per_s=round(facts["releases"] / run["wall_s"]))
        runs.append(run)
        print(
            f"b4: run {i + 1}: exit {run['exit_code']}, {facts['releases']:,} releases in "
            f"{run['wall_s']:.1f} s = {run['releases_per_s']:,}/s, peak RSS "
            f"{run['peak_rss_mb']} MB",
            file=sys.stderr,
        )
    quiet["load_at_end"] = loadavg()
    path.unlink(missing_ok=True)
    # The goals are judged on the slowest and largest run.
    slowest = min(r["releases_per_s"] for r in runs)
    peak = max(r["peak_rss_mb"] for r in runs)
    result = {
        "benchmark": "b4_ocds",
        "machine": machine_info(args.database_url),
        "processes": args.processes,
        "generate_s": round(gen_s, 1),
        "runs": runs,
        "releases": runs[-1]["releases"],
        "releases_per_s": slowest,
        "peak_rss_mb": peak,
        "goal_releases_per_s": GOAL_RELEASES_PER_S,
        "goal_peak_rss_mb": GOAL_RSS_MB,
        "throughput_met": slowest >= GOAL_RELEASES_PER_S,
        "rss_met": peak <= GOAL_RSS_MB,
        "load": quiet,
    }
    write_json(args.out, result)
    failed = any(r["exit_code"] != 0 or r["sample_errors"] for r in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
