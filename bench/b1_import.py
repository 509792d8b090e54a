"""B1: bulk import of generated organizations, against a plain PostgreSQL COPY of the same file.

    DATABASE_URL=postgres://... .venv/bin/python bench/b1_import.py --rows 1000000 \
        --workdir /tmp/x --out bench/results/b1.json

The database must be migrated and hold no organizations. Steps:
1. stream BENCH_ROWS generated rows to WORKDIR/organizations.csv;
2. run `servicepark import organizations FILE --errors ERR` (full validation, real indexes)
   as a child process; wall time and the child's peak RSS (wait4 rusage);
3. `COPY bench_copy FROM STDIN (FORMAT csv, HEADER)` of the same file into an unindexed table
   of 13 text columns, timed the same way (file already in the page cache for both);
4. ANALYZE (timed separately; not part of the import figure).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    COLUMNS,
    RESULTS,
    ROOT,
    SERVICEPARK,
    loadavg,
    machine_info,
    wait_for_quiet,
    write_csv,
    write_json,
)

COPY_TABLE = "bench_copy"
GOAL_RATIO = 0.4
GOAL_RSS_MB = 400


def server_cpu_s(database_url: str) -> float | None:
    """CPU seconds used so far by the server's exited processes (the postmaster's cutime +
    cstime): a finished client's backend, autovacuum workers. None when not readable."""
    import psycopg

    try:
        with psycopg.connect(database_url, autocommit=True) as conn:
            row = conn.execute("SHOW data_directory").fetchone()
        assert row
        pid = int(Path(row[0], "postmaster.pid").read_text().split()[0])
        time.sleep(0.5)  # let the postmaster reap the backends of closed connections
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError, AssertionError, psycopg.Error):
        return None
    return (int(stat[13]) + int(stat[14])) / os.sysconf("SC_CLK_TCK")


def _delta(before: float | None, after: float | None) -> float | None:
    return round(after - before, 2) if before is not None and after is not None else None


def run_import(csv_path: Path, errors_path: Path, database_url: str) -> dict[str, Any]:
    env = dict(os.environ, DATABASE_URL=database_url)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    cmd = [str(SERVICEPARK), "import", "organizations", str(csv_path), "--errors", str(errors_path)]
    server_before = server_cpu_s(database_url)
    out_path, err_path = errors_path.with_suffix(".stdout"), errors_path.with_suffix(".stderr")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=err)
        # Reap the child with wait4 to get its own rusage (peak RSS), not all children's.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    server = _delta(server_before, server_cpu_s(database_url))
    return {
        "command": " ".join(["servicepark", *cmd[1:]]),
        "exit_code": proc.returncode,
        "wall_s": round(wall, 3),
        "user_cpu_s": round(usage.ru_utime, 2),
        "sys_cpu_s": round(usage.ru_stime, 2),
        "server_cpu_s": server,
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: kilobytes
        "stdout": out_path.read_text(errors="replace").strip(),
        "stderr": err_path.read_text(errors="replace").strip()[-2000:],
    }


def run_copy(csv_path: Path, database_url: str) -> dict[str, Any]:
    import psycopg

    cols = ", ".join(f"{c} text" for c in COLUMNS)
    server_before = server_cpu_s(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
        conn.execute(f"CREATE TABLE {COPY_TABLE} ({cols})")
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            with cur.copy(f"COPY {COPY_TABLE} FROM STDIN (FORMAT csv, HEADER)") as copy:
                with csv_path.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        copy.write(chunk)
        wall = time.perf_counter() - started
        row = conn.execute(f"SELECT count(*) FROM {COPY_TABLE}").fetchone()
        conn.execute(f"DROP TABLE {COPY_TABLE}")
    # Server CPU includes the count(*) and DROP TABLE after the COPY (a small part).
    server = _delta(server_before, server_cpu_s(database_url))
    return {"wall_s": round(wall, 3), "rows": row[0] if row else 0, "server_cpu_s": server}


def db_facts(database_url: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        started = time.perf_counter()
        conn.execute("ANALYZE")
        analyze_s = time.perf_counter() - started
        counts = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE registration_kind IN ('registered','direct')),"
            " count(*) FILTER (WHERE registration_kind = 'filed'),"
            " count(*) FILTER (WHERE registration_kind = 'attached'),"
            " count(DISTINCT name) FROM registry_organization"
        ).fetchone()
        sizes = conn.execute(
            "SELECT pg_size_pretty(pg_table_size('registry_organization')),"
            " pg_size_pretty(pg_indexes_size('registry_organization'))"
        ).fetchone()
        audit = conn.execute("SELECT count(*) FROM common_auditevent").fetchone()
    assert counts and sizes and audit
    return {
        "analyze_s": round(analyze_s, 2),
        "organizations": counts[0],
        "registered_or_direct": counts[1],
        "filed": counts[2],
        "attached": counts[3],
        "distinct_names": counts[4],
        "table_size": sizes[0],
        "indexes_size": sizes[1],
        "audit_events": audit[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_ROWS", 1_000_000)))
    parser.add_argument("--workdir", type=Path, required=True, help="where the CSV goes")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--out", type=Path, default=RESULTS / "b1_import.json")
    parser.add_argument("--keep-csv", action="store_true", help="leave the CSV in --workdir")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("a PostgreSQL DATABASE_URL is required")
    args.workdir.mkdir(parents=True, exist_ok=True)
    csv_path = args.workdir / "organizations.csv"
    errors_path = args.workdir / "import-errors.csv"

    print(f"b1: generating {args.rows:,} rows -> {csv_path}", file=sys.stderr)
    started = time.perf_counter()
    size = write_csv(csv_path, args.rows)
    gen_s = time.perf_counter() - started
    print(f"b1: {size / 1e6:.1f} MB in {gen_s:.1f} s; importing", file=sys.stderr)

    quiet = wait_for_quiet()
    imp = run_import(csv_path, errors_path, args.database_url)
    quiet["load_at_end"] = loadavg()
    print(
        f"b1: import exit {imp['exit_code']} in {imp['wall_s']:.1f} s, "
        f"peak RSS {imp['peak_rss_mb']} MB; {imp['stdout']}",
        file=sys.stderr,
    )
    copy = run_copy(csv_path, args.database_url)
    print(f"b1: COPY {copy['rows']:,} rows in {copy['wall_s']:.2f} s", file=sys.stderr)
    facts = db_facts(args.database_url)
    rejected = max(0, sum(1 for _ in errors_path.open(encoding="utf-8")) - 1)
    if not args.keep_csv:
        csv_path.unlink()

    import_rps = args.rows / imp["wall_s"]
    copy_rps = copy["rows"] / copy["wall_s"]
    ratio = import_rps / copy_rps
    result = {
        "benchmark": "b1_import",
        "machine": machine_info(args.database_url),
        "rows": args.rows,
        "csv_bytes": size,
        "generate_s": round(gen_s, 2),
        "import": imp,
        "import_rows_per_s": round(import_rps),
        "import_errors_reported": rejected,
        "copy": copy,
        "copy_rows_per_s": round(copy_rps),
        "ratio": round(ratio, 4),
        "goal_ratio": GOAL_RATIO,
        "goal_peak_rss_mb": GOAL_RSS_MB,
        "ratio_met": ratio >= GOAL_RATIO,
        "rss_met": imp["peak_rss_mb"] <= GOAL_RSS_MB,
        "database": facts,
        "load": quiet,
    }
    write_json(args.out, result)
    print(
        f"b1: import {import_rps:,.0f} rows/s, COPY {copy_rps:,.0f} rows/s, "
        f"ratio {ratio:.3f} -> {args.out}",
        file=sys.stderr,
    )
    if imp["exit_code"] != 0 or facts["organizations"] != args.rows:
        print(f"b1: import did not store every row (see {errors_path})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
