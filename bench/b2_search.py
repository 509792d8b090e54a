"""B2: directory search latency (GET /organizations/?q=...) on an imported registry.

    DATABASE_URL=postgres://... .venv/bin/python bench/b2_search.py --label 1M \
        --out bench/results/b2_1M.json

Query kinds, each drawn from the data (distinct queries, fixed seed):
  fragment  2-4 Chinese characters (a town's or county's name) matching 1..min(2000, cap) rows
  common    a handful of very common fragments (阳光, 社区, ...), cycled
  uscc      the first 6-8 characters of an existing USCC
  initials  3-5 letters taken from an organization's pinyin initials

Per kind: a warm-up of different queries, then every measured query once through the full page
(django.test.Client, the primary figure) and once through selector + paginate + list()
(the database part). Also records the SQL each page runs and EXPLAIN (ANALYZE, BUFFERS) of the
median and the slowest query of each kind. DEBUG is switched off as in production.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    RESULTS,
    django_setup,
    load_places,
    loadavg,
    machine_info,
    percentile,
    wait_for_quiet,
    write_json,
)

COMMON = ("社区", "阳光", "服务中心", "志愿", "协会")
# A "modest" fragment matches 1-1,000 rows, counted past the search's own count cap so that
# the fragments drawn are the same as in runs before that cap was lowered to 300.
MODEST_MAX = 1000
GOAL_P95_MS = 50.0
COUNTY_ENDINGS = ("自治县", "自治旗", "区", "县", "市", "旗")


def sample_rows(n: int, rng: random.Random) -> list[tuple[int, str, str, str, str]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT min(id), max(id) FROM registry_organization")
        lo, hi = cur.fetchone()
        ids = [rng.randint(lo, hi) for _ in range(n)]
        cur.execute(
            "SELECT id, name, coalesce(uscc, ''), name_initials, division_code "
            "FROM registry_organization WHERE id = ANY(%s) ORDER BY id",
            [ids],
        )
        rows = cur.fetchall()
    rng.shuffle(rows)
    return rows


def capped_count(q: str, cap: int | None = None) -> int:
    """Matches of `q` as the directory counts them (up to its cap), or up to `cap`."""
    from django.contrib.auth.models import AnonymousUser

    from servicepark.common.pagination import paginate
    from servicepark.registry.selectors import (
        DirectoryFilters,
        directory_count_cap,
        organization_list,
    )

    filters = DirectoryFilters(q=q)
    qs = organization_list(user=AnonymousUser(), filters=filters)
    page = paginate(qs, page=1, per_page=20, cap=cap or directory_count_cap(filters))
    return page.count + (1 if page.count_capped else 0)


def count_cap() -> int:
    """How far the directory counts the matches of a search."""
    from servicepark.common import pagination
    from servicepark.registry.selectors import DirectoryFilters, directory_count_cap

    return int(directory_count_cap(DirectoryFilters(q="x")) or pagination.COUNT_CAP)


def fragment_queries(rows: list[Any], want: int, rng: random.Random) -> list[str]:
    """Town or county names (without 镇/街道/区...) that match a modest number of rows."""
    places = {p.code: p for p in load_places()}
    out: list[str] = []
    seen: set[str] = set()
    for _, name, _, _, division in rows:
        place = places.get(division)
        if place is None:
            continue
        county = place.county
        for ending in COUNTY_ENDINGS:
            if county.endswith(ending) and len(county) - len(ending) >= 2:
                county = county[: -len(ending)]
                break
        options = [s for s in (place.town, county) if 2 <= len(s) <= 4 and s in name]
        if not options:
            continue
        frag = rng.choice(options)
        if frag in seen:
            continue
        seen.add(frag)
        if 1 <= capped_count(frag, MODEST_MAX) <= MODEST_MAX:
            out.append(frag)
        if len(out) >= want:
            break
    return out


def uscc_queries(rows: list[Any], want: int, rng: random.Random) -> list[str]:
    out: dict[str, None] = {}
    for _, _, uscc, _, _ in rows:
        if uscc:
            out[uscc[: rng.randint(6, 8)]] = None
        if len(out) >= want:
            break
    return list(out)


def initials_queries(rows: list[Any], want: int, rng: random.Random) -> list[str]:
    out: dict[str, None] = {}
    for _, _, _, initials, _ in rows:
        size = rng.randint(3, 5)
        if len(initials) < size:
            continue
        start = rng.randrange(0, len(initials) - size + 1)
        out[initials[start : start + size]] = None
        if len(out) >= want:
            break
    return list(out)


def time_page(client: Any, q: str) -> float:
    started = time.perf_counter()
    response = client.get("/organizations/", {"q": q})
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"GET /organizations/?q={q} -> {response.status_code}")
    return elapsed


def time_selector(q: str) -> tuple[float, int]:
    from django.contrib.auth.models import AnonymousUser

    from servicepark.common.pagination import paginate
    from servicepark.registry.selectors import (
        DirectoryFilters,
        directory_count_cap,
        organization_list,
    )

    started = time.perf_counter()
    filters = DirectoryFilters(q=q)
    qs = organization_list(user=AnonymousUser(), filters=filters)
    page = paginate(qs, page=1, per_page=20, cap=directory_count_cap(filters))
    list(page.items)
    elapsed = time.perf_counter() - started
    return elapsed, page.count + (1 if page.count_capped else 0)


def page_sql(client: Any, q: str) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/organizations/", {"q": q})
    return [{"sql": x["sql"], "ms": round(float(x["time"]) * 1000, 2)} for x in ctx]


def explain(q: str) -> list[dict[str, str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the count and page queries the selector runs for `q`."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from servicepark.common.pagination import paginate
    from servicepark.registry.selectors import DirectoryFilters, organization_list

    with CaptureQueriesContext(connection) as ctx:
        qs = organization_list(user=AnonymousUser(), filters=DirectoryFilters(q=q))
        list(paginate(qs, page=1, per_page=20).items)
    plans = []
    with transaction.atomic(), connection.cursor() as cur:
        for captured in ctx:
            sql = captured["sql"]
            if sql.lstrip().upper().startswith("SET "):
                cur.execute(sql)  # the planner settings the page ran with
            elif sql.lstrip().upper().startswith("SELECT"):
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cur.fetchall())
                plans.append({"sql": sql, "plan": plan})
    return plans


def stats(values_s: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values_s]
    return {
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(sum(ms) / len(ms), 2),
    }


def run_kind(
    client: Any, kind: str, queries: list[str], warmup: list[str], reps: int
) -> dict[str, Any]:
    measured = [queries[i % len(queries)] for i in range(max(reps, len(queries)))]
    for q in warmup:
        time_page(client, q)
        time_selector(q)
    page_s = [time_page(client, q) for q in measured]
    selector = [time_selector(q) for q in measured]
    sel_s = [s for s, _ in selector]
    counts = [c for _, c in selector]
    by_time = sorted(range(len(measured)), key=lambda i: page_s[i])
    median_q = measured[by_time[len(by_time) // 2]]
    slowest_q = measured[by_time[-1]]
    result: dict[str, Any] = {
        "kind": kind,
        "distinct_queries": len(set(measured)),
        "repetitions": len(measured),
        "warmup": len(warmup),
        "page": stats(page_s),
        "selector": stats(sel_s),
        "matches": {
            "min": min(counts),
            "median": sorted(counts)[len(counts) // 2],
            "max": max(counts),
            "capped_at": count_cap(),
        },
        "modest_max": MODEST_MAX,
        "examples": measured[:8],
        "median_query": median_q,
        "slowest_query": {"q": slowest_q, "ms": round(page_s[by_time[-1]] * 1000, 2)},
        "page_sql": page_sql(client, median_q),
        "explain": {"median": explain(median_q), "slowest": explain(slowest_q)},
        "samples": [
            {"q": q, "page_ms": round(p * 1000, 2), "selector_ms": round(s * 1000, 2), "n": c}
            for q, p, s, c in zip(measured, page_s, sel_s, counts, strict=True)
        ],
    }
    print(
        f"b2: {kind:9s} page p50 {result['page']['p50_ms']:7.2f} ms p95 "
        f"{result['page']['p95_ms']:7.2f} ms | selector p50 {result['selector']['p50_ms']:7.2f}"
        f" p95 {result['selector']['p95_ms']:7.2f} | matches {result['matches']}",
        file=sys.stderr,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--label", required=True, help="e.g. 1M or 10k")
    parser.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", 60)))
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("a PostgreSQL DATABASE_URL is required")
    os.environ["DATABASE_URL"] = args.database_url
    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM registry_organization")
        total = cur.fetchone()[0]
    rng = random.Random(args.seed)
    want = args.reps + args.warmup
    rows = sample_rows(want * 12, rng)
    builders: dict[str, Callable[[], list[str]]] = {
        "fragment": lambda: fragment_queries(rows, want, rng),
        "uscc": lambda: uscc_queries(rows, want, rng),
        "initials": lambda: initials_queries(rows, want, rng),
    }
    client = Client()
    client.get("/organizations/")  # load templates, open the connection
    quiet = wait_for_quiet()
    results = []
    for kind in ("fragment", "common", "uscc", "initials"):
        if kind == "common":
            warmup, queries = ["公益", "中心"], list(COMMON)
        else:
            found = builders[kind]()
            warmup, queries = found[: args.warmup], found[args.warmup :]
            if len(queries) < args.reps // 2:
                print(f"b2: only {len(queries)} {kind} queries found", file=sys.stderr)
        results.append(run_kind(client, kind, queries, warmup, args.reps))
    out = {
        "benchmark": "b2_search",
        "label": args.label,
        "organizations": total,
        "machine": machine_info(args.database_url),
        "goal_p95_ms": GOAL_P95_MS,
        "kinds": results,
        "load": {**quiet, "load_at_end": loadavg()},
    }
    out_path = args.out or RESULTS / f"b2_search_{args.label}.json"
    write_json(out_path, out)
    print(f"b2: {args.label} ({total:,} organizations) -> {out_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
