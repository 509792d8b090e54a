"""Write docs/BENCHMARKS.md from one run's JSON results (called by scripts/run-bench.sh).

    .venv/bin/python bench/report.py --results bench/results/<stamp> --command "..." \
        --out docs/BENCHMARKS.md

Everything in the report comes from the JSON files of that one run, except bench/findings.md
(hand-written analysis of a run), which is appended verbatim when present.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT

FINDINGS = ROOT / "bench" / "findings.md"
KIND_TITLES = {
    "fragment": "(a) Chinese name fragment, modest (2–4 chars)",
    "common": "(a′) Chinese name fragment, common",
    "uscc": "(b) USCC prefix (6–8 chars)",
    "initials": "(c) pinyin initials (3–5 letters)",
}


def load(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def yes(ok: bool) -> str:
    return "**yes**" if ok else "**no**"


def fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def machine_section(m: dict[str, Any]) -> list[str]:
    pg = m.get("postgresql", "")
    pg_short = " ".join(pg.split()[:2]) if pg else "?"
    settings = m.get("postgresql_settings", {})
    pg_conf = ", ".join(f"{k}={v}" for k, v in settings.items())
    return [
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| Date | {m['date']} |",
        f"| CPU | {m['cpu_model']} × {m['nproc']} (nproc) |",
        f"| Memory | {m['memory_gib']} GiB |",
        f"| Kernel | {m['kernel']} |",
        f"| PostgreSQL | {pg_short} ({pg_conf}) |",
        f"| Python | {m['python']} |",
        f"| Code | git {m.get('git_commit') or '?'}, "
        f"{m.get('git_uncommitted_app_files', '?')} uncommitted file(s) under servicepark/ "
        "and config/ when B1 finished |",
        "",
        "The PostgreSQL cluster is the throwaway one of `scripts/testdb.sh`: fsync, "
        "synchronous_commit and full_page_writes are off, so neither figure includes waiting "
        "for the disk. Client and server share the same cores.",
        "",
    ]


def b1_section(large: dict[str, Any], small: dict[str, Any] | None) -> list[str]:
    lines = [
        "## B1 — bulk import against COPY",
        "",
        f"Generated file: {fmt_int(large['rows'])} organizations, "
        f"{large['csv_bytes'] / 1e6:.0f} MB of UTF-8 CSV "
        f"(generated in {large['generate_s']:.0f} s, not counted). Import command, as run:",
        "",
        f"    {large['import']['command']}",
        "",
        "It validates every row with the same rules as the web form (USCC checksums, phone "
        "numbers, divisions, duplicates against the registry and within the file, umbrellas) "
        "and stores into the real table with all its indexes, plus the audit trail. The COPY "
        "baseline loads the same file into an unindexed table of 13 text columns "
        "(`COPY … FROM STDIN (FORMAT csv, HEADER)` through psycopg).",
        "",
        "| Run | Stored | Import wall | Import rows/s | CPU: import process | CPU: server "
        "| Peak RSS | COPY wall | COPY rows/s | Ratio import/COPY |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for run in (large, small):
        if run is None:
            continue
        imp = run["import"]
        server = imp.get("server_cpu_s")
        lines.append(
            f"| {fmt_int(run['rows'])} rows | {fmt_int(run['database']['organizations'])}"
            f" | {imp['wall_s']:.1f} s | {fmt_int(run['import_rows_per_s'])} "
            f"| {imp['user_cpu_s'] + imp['sys_cpu_s']:.1f} s "
            f"| {'?' if server is None else f'{server:.1f} s'} | {imp['peak_rss_mb']:.0f} MB "
            f"| {run['copy']['wall_s']:.2f} s | {fmt_int(run['copy_rows_per_s'])} "
            f"| {run['ratio']:.3f} |"
        )
    lines += [
        "",
        "*CPU: import process* is the user+sys time of the `servicepark import` process "
        "(wait4 rusage); *CPU: server* is what PostgreSQL's backend(s) used meanwhile "
        "(cumulative CPU of the postmaster's exited children: the import's backend and any "
        "autovacuum workers). The two partly overlap (the server digests one batch's COPY while "
        "the client prepares the rest), so on an idle machine the wall time lies between the "
        "larger of them and their sum.",
    ]
    load = large.get("load", {})
    if load:
        lines += [""]
        lines.append(
            f"Load average (1 min) when the {fmt_int(large['rows'])}-row import started: "
            f"{load['load_at_start'][0]:.2f}, when it ended: {load['load_at_end'][0]:.2f} "
            f"(a load above ~1 means other work shared the {large['machine']['nproc']} cores)."
        )
    db = large["database"]
    lines += [
        "",
        f"Goals at {fmt_int(large['rows'])} rows: ratio ≥ {large['goal_ratio']} — "
        f"{yes(large['ratio_met'])} ({large['ratio']:.3f}); peak memory ≤ "
        f"{large['goal_peak_rss_mb']} MB — {yes(large['rss_met'])} "
        f"({large['import']['peak_rss_mb']:.0f} MB).",
        "",
        f"Command output: `{large['import']['stdout']}` (exit {large['import']['exit_code']}, "
        f"{large['import_errors_reported']} rows in the error report). After the import: "
        f"{fmt_int(db['registered_or_direct'])} registered/direct, {fmt_int(db['filed'])} filed, "
        f"{fmt_int(db['attached'])} attached, {fmt_int(db['distinct_names'])} distinct names; "
        f"table {db['table_size']}, indexes {db['indexes_size']}, "
        f"{fmt_int(db['audit_events'])} audit events; ANALYZE took {db['analyze_s']:.1f} s "
        "(not counted).",
        "",
    ]
    return lines


def _kind(run: dict[str, Any] | None, kind: str) -> dict[str, Any] | None:
    if run is None:
        return None
    return next((k for k in run["kinds"] if k["kind"] == kind), None)


def _pair(k: dict[str, Any] | None, part: str) -> str:
    if k is None:
        return "–"
    return f"{k[part]['p50_ms']:.1f} / {k[part]['p95_ms']:.1f}"


def b2_section(large: dict[str, Any], small: dict[str, Any] | None) -> list[str]:
    big, little = large["label"], small["label"] if small else "?"
    goal = large["goal_p95_ms"]
    cap = large["kinds"][0]["matches"]["capped_at"]
    modest = large["kinds"][0].get("modest_max", min(2000, cap))
    lines = [
        "## B2 — directory search",
        "",
        "Server time of `GET /organizations/?q=…` as an anonymous visitor, through "
        "`django.test.Client` (URL routing, middleware, the view, the selector's queries — the "
        "probe of the newest organizations that picks index or walk (decision 016), the ids of "
        f"up to {cap + 1:,} matches, which give the capped count and the page, and the page's "
        "20 rows — and the template), with DEBUG off. "
        "The *selector* columns time `organization_list()` + `paginate()` + `list()` alone, "
        "i.e. the database part. Queries are drawn from the imported data with a fixed seed; "
        "each kind is warmed up with other queries of the same kind, then every measured query "
        "runs once (the *common* kind cycles through five fragments). Fragments of kind (a) "
        f"are town or county names, kept when they match 1–{modest:,} rows. Times in ms, "
        "p50 / p95.",
        "",
        f"| Kind | Measured (distinct) | Matches at {big}: median [min–max] | "
        f"Page {little} | Page {big} | p95 {big} ÷ p95 {little} | "
        f"Selector {little} | Selector {big} | p95 ≤ {goal:.0f} ms | ratio ≤ 2 |",
        "|---|--:|--:|--:|--:|--:|--:|--:|:-:|:-:|",
    ]
    verdicts = []
    for kind, title in KIND_TITLES.items():
        k, s = _kind(large, kind), _kind(small, kind)
        if k is None:
            continue
        m = k["matches"]
        cap = m["capped_at"]

        def capped(n: int, cap: int = cap) -> str:
            return f"{cap:,}+" if n > cap else fmt_int(n)

        ratio = k["page"]["p95_ms"] / s["page"]["p95_ms"] if s else float("nan")
        p95_ok = k["page"]["p95_ms"] <= goal
        ratio_ok = ratio <= 2
        verdicts.append((title, k["page"]["p95_ms"], p95_ok, ratio, ratio_ok))

        lines.append(
            f"| {title} | {k['repetitions']} ({k['distinct_queries']}) "
            f"| {capped(m['median'])} [{capped(m['min'])}–{capped(m['max'])}] "
            f"| {_pair(s, 'page')} | {_pair(k, 'page')} "
            f"| {ratio:.2f} | {_pair(s, 'selector')} | {_pair(k, 'selector')} "
            f"| {yes(p95_ok)} | {yes(ratio_ok)} |"
        )
    for run in (small, large):
        load = (run or {}).get("load")
        if run and load:
            lines += [
                "",
                f"Load average (1 min) at the start / end of the {run['label']} measurements: "
                f"{load['load_at_start'][0]:.2f} / {load['load_at_end'][0]:.2f}.",
            ]
    lines += ["", "Example queries at " + big + ":", ""]
    for kind, title in KIND_TITLES.items():
        k = _kind(large, kind)
        if k:
            examples = ", ".join(f"`{q}`" for q in list(dict.fromkeys(k["examples"]))[:6])
            slow = k["slowest_query"]
            lines.append(f"- {title}: {examples}; slowest `{slow['q']}` ({slow['ms']:.0f} ms)")
    lines += ["", f"### SQL and plans at {big}", ""]
    lines.append(
        "Each page runs the queries below (for the median query of each kind; the time is "
        "the database round trip as Django measured it). EXPLAIN (ANALYZE, BUFFERS) follows "
        "for the count and page queries of the median and the slowest query of each kind."
    )
    lines.append("")
    for kind, title in KIND_TITLES.items():
        k = _kind(large, kind)
        if k is None:
            continue
        total = sum(x["ms"] for x in k["page_sql"])
        lines.append(
            f"- {title}, `{k['median_query']}`: {len(k['page_sql'])} queries, "
            f"{total:.1f} ms in the database"
        )
    lines.append("")
    for kind, title in KIND_TITLES.items():
        k = _kind(large, kind)
        if k is None:
            continue
        for which in ("median", "slowest"):
            q = k["median_query"] if which == "median" else k["slowest_query"]["q"]
            lines += [f"<details><summary>{title} — {which} query <code>{q}</code></summary>", ""]
            for plan in k["explain"][which]:
                lines += ["```sql", plan["sql"], "```", "```", plan["plan"], "```", ""]
            lines += ["</details>", ""]
    return lines


def summary_section(
    b1: dict[str, Any] | None,
    b2_large: dict[str, Any] | None,
    b2_small: dict[str, Any] | None,
    b4: dict[str, Any] | None = None,
    b3: dict[str, Any] | None = None,
    b6: dict[str, Any] | None = None,
) -> list[str]:
    lines = ["## Summary", "", "| Goal | Target | Measured | Met |", "|---|---|---|:-:|"]
    if b1:
        lines.append(
            f"| B1 import throughput ÷ COPY throughput ({fmt_int(b1['rows'])} rows) "
            f"| ≥ {b1['goal_ratio']} | {b1['ratio']:.3f} ({fmt_int(b1['import_rows_per_s'])} vs "
            f"{fmt_int(b1['copy_rows_per_s'])} rows/s) | {yes(b1['ratio_met'])} |"
        )
        lines.append(
            f"| B1 peak memory of the import process | ≤ {b1['goal_peak_rss_mb']} MB "
            f"| {b1['import']['peak_rss_mb']:.0f} MB | {yes(b1['rss_met'])} |"
        )
    if b2_large:
        goal = b2_large["goal_p95_ms"]
        for kind, title in KIND_TITLES.items():
            k, s = _kind(b2_large, kind), _kind(b2_small, kind)
            if k is None:
                continue
            p95 = k["page"]["p95_ms"]
            lines.append(
                f"| B2 {title}: page p95 at {b2_large['label']} | ≤ {goal:.0f} ms "
                f"| {p95:.1f} ms | {yes(p95 <= goal)} |"
            )
            if s and b2_small:
                ratio = p95 / s["page"]["p95_ms"]
                lines.append(
                    f"| B2 {title}: p95 {b2_large['label']} ÷ p95 {b2_small['label']}"
                    f" | ≤ 2 | {ratio:.2f} | {yes(ratio <= 2)} |"
                )
    if b3:
        median = b3["seconds"]["median"]
        lines.append(
            f"| B3 optimiser, {b3['applications']:,} applications: proven optimal, median time "
            f"| ≤ 2 s | {median:.2f} s ({b3['status']}) "
            f"| {yes(median <= 2.0 and b3['status'] == 'optimal')} |"
        )
    if b4:
        lines.append(
            f"| B4 OCDS export throughput ({fmt_int(b4['processes'])} contracting processes) "
            f"| ≥ {fmt_int(b4['goal_releases_per_s'])} releases/s "
            f"| {fmt_int(b4['releases_per_s'])} releases/s | {yes(b4['throughput_met'])} |"
        )
        lines.append(
            f"| B4 peak memory of the export process | ≤ {b4['goal_peak_rss_mb']} MB "
            f"| {b4['peak_rss_mb']:.0f} MB | {yes(b4['rss_met'])} |"
        )
    if b6:
        size = f"{fmt_int(b6['organizations'])} organizations, {fmt_int(b6['events'])} events"
        steady, base = b6["steady"], b6["baseline"]
        lines.append(
            f"| B6 oversight full recompute ÷ one aggregate scan of the same tables ({size}) "
            f"| ≤ {b6['goal_ratio']:.0f}× | {b6['ratio']:.1f}× ({steady['wall_s']:.1f} s vs "
            f"{base['median_s']:.2f} s) | {yes(b6['ratio_met'])} |"
        )
        lines.append(
            "| B6 oversight full recompute, steady state "
            f"(first run: {b6['first']['wall_s']:.0f} s) | ≤ {b6['goal_seconds']:.0f} s "
            f"| {steady['wall_s']:.1f} s "
            f"| {yes(b6['seconds_met'])} |"
        )
        inc = b6["incremental"]["refresh"]
        lines.append(
            f"| B6 incremental refresh of one organization after an event, p95 | (none) "
            f"| {inc['p95_ms']:.0f} ms (p50 {inc['p50_ms']:.0f} ms) | – |"
        )
    lines.append("")
    return lines


def b3_section(b3: dict[str, Any]) -> list[str]:
    """B3: the award optimiser (procurement.allocation) and score aggregation."""
    agg = b3["aggregation_5_jurors"]
    goal_met = yes(b3["seconds"]["median"] <= 2.0)
    return [
        "## B3 — award optimiser and score aggregation",
        "",
        f"{b3['applications']:,} applications over {b3['fields']} fields of service; budget "
        f"¥{b3['budget']} (20 % of all requests), every field at most 15 % of it, environment "
        "and culture at least 3 % each, at most 2 awards per organization, 10 % ineligible. "
        "HiGHS with zero gap, so the optimum is proven (`bench/b3_allocation.py`).",
        "",
        "| | Value |",
        "|---|--:|",
        f"| Status | {b3['status']} (proven, gap 0) |",
        f"| Time to optimum, median of {b3['runs']} (goal ≤ 2 s) | "
        f"{b3['seconds']['median']:.2f} s ({goal_met}) |",
        f"| Selected / total score (optimum) | {b3['optimal']['selected']:,} / "
        f"{b3['optimal']['total_score']} |",
        f"| Selected / total score (greedy by score) | {b3['greedy']['selected']:,} / "
        f"{b3['greedy']['total_score']} |",
        f"| Score gained over greedy | {b3['score_gain']} ({b3['score_gain_pct']:.1f} %) |",
        f"| Aggregating {agg['applications']:,} applications × {agg['jurors']} jurors "
        f"(trimmed means, spread flag), median | {agg['median_s'] * 1000:.0f} ms |",
        "",
        "Greedy takes the highest scores regardless of cost; the optimiser prefers more, "
        "cheaper good projects, hence the gain.",
        "",
    ]


def b4_section(b4: dict[str, Any]) -> list[str]:
    """B4: the streaming OCDS export (bench/b4_ocds.py)."""
    first = b4["runs"][0]
    lines = [
        "## B4 — OCDS export",
        "",
        f"{fmt_int(b4['processes'])} published calls, each with an application, a final "
        "decision with one award, a contract, two milestones and one payment (generated with "
        f"bulk_create in {b4['generate_s']:.0f} s, not counted): "
        f"{fmt_int(b4['releases'])} releases (planning, tender, award, contract, "
        "implementation). Export command, as run (a child process; wall time from start to "
        "exit, including Django's start-up; peak RSS from wait4):",
        "",
        f"    {first['command']}",
        "",
        "| Run | Wall | CPU (user + sys) | Releases/s | Peak RSS | File |",
        "|--:|--:|--:|--:|--:|--:|",
    ]
    for i, run in enumerate(b4["runs"], start=1):
        lines.append(
            f"| {i} | {run['wall_s']:.1f} s | {run['user_cpu_s'] + run['sys_cpu_s']:.1f} s "
            f"| {fmt_int(run['releases_per_s'])} | {run['peak_rss_mb']:.0f} MB "
            f"| {run['bytes'] / 1e6:.0f} MB |"
        )
    lines += [
        "",
        f"Goals (judged on the slowest run and the largest peak): ≥ "
        f"{fmt_int(b4['goal_releases_per_s'])} releases/s — {yes(b4['throughput_met'])} "
        f"({fmt_int(b4['releases_per_s'])}); peak memory ≤ {b4['goal_peak_rss_mb']} MB — "
        f"{yes(b4['rss_met'])} ({b4['peak_rss_mb']:.0f} MB). The first "
        f"{first['sample_checked']} releases of each file were validated against the OCDS 1.1 "
        "package schema: "
        + ("no errors." if not any(r["sample_errors"] for r in b4["runs"]) else "**errors**."),
    ]
    load_info = b4.get("load", {})
    if load_info.get("load_at_start") and load_info.get("load_at_end"):
        lines += [
            "",
            f"Load average (1 min) at the start / end: {load_info['load_at_start'][0]:.2f} / "
            f"{load_info['load_at_end'][0]:.2f}.",
        ]
    lines.append("")
    return lines


def b5_section(b5: dict[str, Any]) -> list[str]:
    """B5: booking a room among many existing bookings (bench/b5_bookings.py)."""
    lines = [
        "## B5 — room bookings",
        "",
        f"{fmt_int(b5['bookings'])} existing bookings over {fmt_int(b5['spaces'])} rooms and "
        f"halls of {b5['parks']} parks (bulk_create in {b5['generate_s']:.0f} s, not counted). "
        "Server time of each booking by a resident, in-process (no network): the service "
        "alone (permission, checks, the space's lock, overlap query, insert, audit event, "
        "commit), and the whole HTTP stack with Bearer authentication.",
        "",
        "| Request | n | p50 | p95 | max |",
        "|---|--:|--:|--:|--:|",
    ]
    for label, key in (
        ("`booking_create` (service)", "service"),
        ("POST /api/v1/bookings → 201", "api"),
        ("POST /api/v1/bookings → 409 (slot taken)", "api_conflict"),
    ):
        s = b5[key]
        lines.append(
            f"| {label} | {s['n']} | {s['p50_ms']:.1f} ms | {s['p95_ms']:.1f} ms "
            f"| {s['max_ms']:.1f} ms |"
        )
    load_info = b5.get("load", {})
    if load_info.get("load_at_start") and load_info.get("load_at_end"):
        lines += [
            "",
            f"Load average (1 min) at the start / end: {load_info['load_at_start'][0]:.2f} / "
            f"{load_info['load_at_end'][0]:.2f}.",
        ]
    lines.append("")
    return lines


def _statement(sql: str) -> str:
    """`SELECT … FROM "table"` and the like: what a statement is, in a few words."""
    match = re.match(r'\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b.*?("\w+")', sql, re.S)
    if match is None:
        return "`" + sql[:40] + "…`"
    verb, table = match.groups()
    if verb == "SELECT":
        found = re.search(r'FROM ("\w+")', sql)
        table = found.group(1) if found else table
        return f"`SELECT … FROM {table}`"
    return f"`{verb} {table}`"


def _in_sql(part: dict[str, Any]) -> float:
    return float(part["sql_s"] + part.get("fetch_s", 0))


def _b6_parts(b6: dict[str, Any], limit: int = 14) -> list[str]:
    """The steady run's parts by time, with the first run's beside them."""
    first = {p["part"]: p for p in b6["first"]["parts"]}
    lines = [
        "| Part | Steady: wall | statements | in SQL | First run: wall | statements |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    shown = b6["steady"]["parts"][:limit]
    for p in shown:
        f = first.get(p["part"], {})
        lines.append(
            f"| {p['part']} | {p['wall_s']:.2f} s | {fmt_int(p['statements'])} "
            f"| {_in_sql(p):.2f} s | {f.get('wall_s', 0):.2f} s "
            f"| {fmt_int(f.get('statements', 0))} |"
        )
    rest = b6["steady"]["parts"][limit:]
    if rest:
        names = {p["part"] for p in shown}
        lines.append(
            f"| {len(rest)} other parts | {sum(p['wall_s'] for p in rest):.2f} s "
            f"| {fmt_int(sum(p['statements'] for p in rest))} "
            f"| {sum(_in_sql(p) for p in rest):.2f} s "
            f"| {sum(p['wall_s'] for n, p in first.items() if n not in names):.2f} s "
            f"| {fmt_int(sum(p['statements'] for n, p in first.items() if n not in names))} |"
        )
    return lines


def b6_section(b6: dict[str, Any]) -> list[str]:
    """B6: the oversight engine's full recompute and incremental refresh (bench/b6_oversight.py)."""
    first, steady, base = b6["first"], b6["steady"], b6["baseline"]
    by_table = ", ".join(
        f"{table.split('_', 1)[1]} {fmt_int(n)}" for table, n in b6["events_by_table"].items()
    )
    made = {k: v for k, v in first["counts"].items() if v}
    lines = [
        "## B6 — oversight: full recompute and incremental refresh",
        "",
        f"{fmt_int(b6['organizations'])} organizations and {fmt_int(b6['events'])} events "
        f"({by_table}), generated deterministically and loaded with COPY in "
        f"{b6['generate_s']:.0f} s (not counted), then ANALYZE. `engine.run(as_of="
        f"{b6['as_of']})` with annual reports tracked from {b6['annual_reports_from']}, all "
        f"{len(b6['rules'])} registered rules and every credit-list step, in-process with DEBUG "
        "off. The first run lists, signals and scores; the second must create nothing "
        f"({'it did not' if b6['steady_ok'] else '**it did: ' + str(b6['steady_created']) + '**'}"
        "). The baseline reads the same tables once: for each, "
        f"`{base['sql']}`, one after the other, median of {len(base['rounds_s'])}.",
        "",
        "| | Wall | CPU (this process) | Peak RSS | Result |",
        "|---|--:|--:|--:|---|",
        f"| Baseline: aggregate scan of {len(base['tables'])} tables | {base['median_s']:.2f} s "
        "| | | |",
        f"| First run | {first['wall_s']:.1f} s | {first['process_cpu_s']:.1f} s "
        f"| {first['peak_rss_mb']:.0f} MB | "
        + ", ".join(f"{k} {fmt_int(v)}" for k, v in made.items())
        + (f"; **{len(first['errors'])} errors**" if first["errors"] else "")
        + " |",
        f"| Steady-state run | {steady['wall_s']:.1f} s | {steady['process_cpu_s']:.1f} s "
        f"| {steady['peak_rss_mb']:.0f} MB | organizations at risk "
        f"{fmt_int(steady['counts'].get('organizations_at_risk', 0))}, nothing new |",
        "",
        f"Goals (steady state): ≤ {b6['goal_ratio']:.0f}× the baseline — "
        f"{yes(b6['ratio_met'])} ({b6['ratio']:.1f}×); ≤ {b6['goal_seconds']:.0f} s — "
        f"{yes(b6['seconds_met'])} ({steady['wall_s']:.1f} s).",
        "",
        "Where the time goes: each credit step, each rule's `evaluate` (`rule …`) and the storing "
        "of its signals (`apply …`), the scores, and *hook refresh*: incremental refreshes that "
        "the run's own row-by-row saves trigger when a step commits. *In SQL* is the time "
        "inside `cursor.execute` and fetching the results (results without a fetch time were "
        "measured before it was recorded, and miss what server-side cursors of `iterator()` "
        "spend in their fetches); the rest is Python. Timed by wrapping those functions "
        "during the two runs above.",
        "",
        *_b6_parts(b6),
        "",
        "Statements that took longest in the steady-state run (all executions together):",
        "",
        "| Part | Statement | Executions | Total | Mean |",
        "|---|---|--:|--:|--:|",
    ]
    for st in steady["top_statements"]:
        lines.append(
            f"| {st['part']} | {_statement(st['template'])} | {fmt_int(st['count'])} "
            f"| {st['total_s']:.2f} s | {st['mean_ms']:.2f} ms |"
        )
    lines.append("")
    for plan in b6.get("explain", []):
        lines += [
            f"<details><summary>EXPLAIN ANALYZE: <code>{plan['template'][:90]}…</code></summary>",
            "",
            "```sql",
            plan["template"],
            "```",
            "```",
            plan["plan"],
            "```",
            "",
            "</details>",
            "",
        ]
    inc = b6["incremental"]
    lines += [
        f"Incremental (as of {inc['as_of']}): right after one event for an organization, written "
        "through the ORM with the post-save hook off, the refresh the hook would make — only the "
        "credit steps and rules that watch the saved model, for that organization"
        + (
            "; beside it, `engine.refresh({organization})` with every rule, as measured before "
            "the hook was narrowed:"
            if "refresh_every_rule" in inc
            else ":"
        ),
        "",
        "| Event | n | p50 | p95 | max |",
        "|---|--:|--:|--:|--:|",
    ]
    rows = [*inc["by_event"].items(), ("all", inc["refresh"])]
    if "refresh_every_rule" in inc:
        rows.append(("all, every rule", inc["refresh_every_rule"]))
    for kind, s in rows:
        lines.append(
            f"| {kind.replace('_', ' ')} | {s['n']} | {s['p50_ms']:.0f} ms | {s['p95_ms']:.0f} ms "
            f"| {s['max_ms']:.0f} ms |"
        )
    load_info = steady.get("load", {})
    if load_info.get("load_at_start") and load_info.get("load_at_end"):
        lines += [
            "",
            f"Load average (1 min) at the start / end of the steady-state run: "
            f"{load_info['load_at_start'][0]:.2f} / {load_info['load_at_end'][0]:.2f}.",
        ]
    lines.append("")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--command", default="scripts/run-bench.sh")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "BENCHMARKS.md")
    args = parser.parse_args()
    b1 = load(args.results / "b1_import_large.json")
    b1_small = load(args.results / "b1_import_small.json")
    b2 = load(args.results / "b2_search_large.json")
    b2_small = load(args.results / "b2_search_small.json")
    if b1 is None or b2 is None:
        print(f"report: results missing in {args.results}", file=sys.stderr)
        return 1
    try:
        results_dir = args.results.resolve().relative_to(ROOT)
    except ValueError:
        results_dir = args.results
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `scripts/run-bench.sh` (`make bench`) on {b1['machine']['date']}; "
        f"all figures below come from that one run. Raw JSON: `{results_dir}/` "
        "(git-ignored).",
        "",
        "Command:",
        "",
        f"    {args.command}",
        "",
    ]
    b4 = load(args.results / "b4_ocds.json")
    b6 = load(args.results / "b6_oversight.json")
    lines += summary_section(b1, b2, b2_small, b4, load(args.results / "b3_allocation.json"), b6)
    lines += machine_section(b1["machine"])
    lines += b1_section(b1, b1_small)
    lines += b2_section(b2, b2_small)
    b3 = load(args.results / "b3_allocation.json")
    if b3 is not None:
        lines += b3_section(b3)
    if b4 is not None:
        lines += b4_section(b4)
    b5 = load(args.results / "b5_bookings.json")
    if b5 is not None:
        lines += b5_section(b5)
    if b6 is not None:
        lines += b6_section(b6)
    if FINDINGS.is_file():
        lines += [FINDINGS.read_text(encoding="utf-8").rstrip(), ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"report: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
