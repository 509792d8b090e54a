"""Steps 2 and 4: a timed full run of the engine (wall, CPU, peak RSS, the probe's parts) and
EXPLAIN (ANALYZE, BUFFERS) of the statements that took longest."""

from __future__ import annotations

import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

from bench.b6.params import AS_OF
from bench.b6.probe import Probe
from bench.common import loadavg, wait_for_quiet


def reset_peak_rss() -> None:
    """Reset VmHWM (Linux): the next peak_rss_mb() is the peak since now."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def full_run(label: str) -> tuple[dict[str, Any], Probe]:
    from django.db import connection

    from servicepark.oversight import engine

    probe = Probe()
    quiet = wait_for_quiet()
    probe.install()
    reset_peak_rss()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    try:
        with connection.execute_wrapper(probe):
            started = time.perf_counter()
            outcome = engine.run(as_of=AS_OF)
            wall = time.perf_counter() - started
    finally:
        probe.uninstall()
    after = resource.getrusage(resource.RUSAGE_SELF)
    quiet["load_at_end"] = loadavg()
    result = {
        "run": label,
        "wall_s": round(wall, 2),
        "process_cpu_s": round(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, 2),
        "peak_rss_mb": peak_rss_mb(),
        "stored": outcome.stored,
        "counts": outcome.counts,
        "errors": outcome.errors,
        "load": quiet,
    }
    result.update(probe.report(wall))
    print(
        f"b6: {label} run: {wall:.1f} s, peak RSS {result['peak_rss_mb']} MB, {outcome.counts}",
        file=sys.stderr,
    )
    return result, probe


_LONG_ARRAY = re.compile(r"'\{([^}']{200,})\}'")


def _shorten(match: re.Match[str]) -> str:
    items = match.group(1).split(",")
    return "'{" + ",".join(items[:5]) + f",… ({len(items)} values)}}'"


def explain(examples: list[tuple[str, str, Any]]) -> list[dict[str, Any]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest instance of each top SELECT."""
    from django.db import connection

    plans = []
    with connection.cursor() as cur:
        for tmpl, sql, params in examples:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = _LONG_ARRAY.sub(_shorten, "\n".join(r[0] for r in cur.fetchall()))
            plans.append({"template": tmpl[:1500], "plan": plan})
    return plans
