"""The command line of bench/b6_oversight.py: the steps in order, and the JSON result."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.b6.baseline import baseline
from bench.b6.generate import generate, run_generate
from bench.b6.incremental import incremental
from bench.b6.params import AS_OF, GOAL_RATIO, GOAL_SECONDS, REPORTS_FROM
from bench.b6.runs import explain, full_run
from bench.b6.spool import TABLES
from bench.common import RESULTS, django_setup, machine_info, write_json


def main(description: str) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--orgs", type=int, default=int(os.environ.get("BENCH_B6_ORGS", 1_000_000)))
    parser.add_argument(
        "--events", type=int, default=int(os.environ.get("BENCH_B6_EVENTS", 5_000_000))
    )
    parser.add_argument("--incremental", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=None, help="where the files go")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--out", type=Path, default=RESULTS / "b6_oversight.json")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("a PostgreSQL DATABASE_URL is required")
    if args.generate_only:
        return generate(args.orgs, args.events, args.workdir, args.database_url)
    own_workdir = args.workdir is None
    if own_workdir:
        args.workdir = Path(tempfile.mkdtemp(prefix="b6-"))
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = args.database_url
    print(f"b6: generating {args.orgs:,} organizations, {args.events:,} events", file=sys.stderr)
    try:
        generated, gen_s = run_generate(args)
    except subprocess.CalledProcessError:
        return 1
    finally:
        if own_workdir:
            shutil.rmtree(args.workdir, ignore_errors=True)
    rows = generated["rows"]
    events = {t: rows[t] for t, _c, counted in TABLES if counted}
    print(f"b6: generated in {gen_s:.0f} s ({sum(events.values()):,} events)", file=sys.stderr)

    django_setup()
    from django.conf import settings
    from django.utils import timezone

    from servicepark.oversight.rules import RULES

    if timezone.localdate() < AS_OF:
        print(f"b6: today is before {AS_OF}: the run would be a preview", file=sys.stderr)
        return 1
    settings.DEBUG = False  # as in production: no query log
    settings.SERVICEPARK_ANNUAL_REPORTS_FROM = REPORTS_FROM

    first, _probe = full_run("first")
    base = baseline()
    steady, probe = full_run("steady")
    plans = explain(probe.slowest_examples())
    created = {k: v for k, v in steady["counts"].items() if v and k != "organizations_at_risk"}
    steady_ok = not created and not steady["errors"] and not first["errors"]
    print("b6: incremental refreshes", file=sys.stderr)
    inc = incremental(args.incremental)
    ratio = steady["wall_s"] / base["median_s"] if base["median_s"] else float("nan")
    result = {
        "benchmark": "b6_oversight",
        "machine": machine_info(args.database_url),
        "organizations": rows["registry_organization"],
        "events": sum(events.values()),
        "events_by_table": events,
        "reference_rows": {t: rows[t] for t, _c, counted in TABLES if not counted},
        "generate_s": round(gen_s, 1),
        "generate_write_s": round(generated["write_s"], 1),
        "generate_load_s": round(generated["load_s"], 1),
        "as_of": AS_OF.isoformat(),
        "annual_reports_from": REPORTS_FROM,
        "rules": sorted(RULES),
        "debug": False,
        "first": first,
        "steady": steady,
        "steady_created": created,
        "steady_ok": steady_ok,
        "baseline": base,
        "ratio": round(ratio, 2),
        "goal_ratio": GOAL_RATIO,
        "goal_seconds": GOAL_SECONDS,
        "ratio_met": ratio <= GOAL_RATIO,
        "seconds_met": steady["wall_s"] <= GOAL_SECONDS,
        "explain": plans,
        "incremental": inc,
    }
    write_json(args.out, result)
    r = inc["refresh"]
    print(
        f"b6: baseline {base['median_s']:.2f} s; steady run {steady['wall_s']:.1f} s = "
        f"{ratio:.1f}× (goal ≤ {GOAL_RATIO:.0f}×, ≤ {GOAL_SECONDS:.0f} s); first run "
        f"{first['wall_s']:.1f} s; refresh p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms",
        file=sys.stderr,
    )
    if not steady_ok:
        print(f"b6: the steady-state run was not idempotent: {created}", file=sys.stderr)
        return 1
    return 0
