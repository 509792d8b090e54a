"""Step 3: the baseline, one aggregate scan of every table the steps and rules read."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from bench.common import loadavg, wait_for_quiet


def baseline_tables() -> list[tuple[str, str]]:
    """(table, organization column) for every table the credit steps or the rules read: the
    steps' fixed set, the engine's own signals, and each rule's `watches`."""
    from django.apps import apps

    from servicepark.oversight.rules import RULES

    tables = {
        "registry_organization": "status, org_type",
        "oversight_annualreport": "organization_id",
        "oversight_sanction": "organization_id",
        "oversight_registeredletter": "organization_id",
        "oversight_rectification": "organization_id",
        "oversight_creditlisting": "organization_id",
        "oversight_cancellationproposal": "organization_id",
        "oversight_signal": "organization_id",
    }
    for rule in RULES.values():
        for label, path in rule.watches.items():
            model = apps.get_model(label)
            table = model._meta.db_table
            if table in tables:
                continue
            first = path.split(".")[0]
            field = model._meta.get_field(first.removesuffix("_id"))
            tables[table] = getattr(field, "column", first)
    return sorted(tables.items())


def baseline(rounds: int = 3) -> dict[str, Any]:
    from django.db import connection

    tables = baseline_tables()
    per_table: dict[str, list[float]] = defaultdict(list)
    totals = []
    rows = {}
    quiet = wait_for_quiet()
    with connection.cursor() as cur:
        for _ in range(rounds):
            began = time.perf_counter()
            for table, column in tables:
                started = time.perf_counter()
                cur.execute(
                    f"SELECT count(*), coalesce(sum(n), 0) FROM "
                    f"(SELECT {column}, count(*) AS n FROM {table} GROUP BY {column}) AS s"
                )
                groups, n = cur.fetchone()
                per_table[table].append(time.perf_counter() - started)
                rows[table] = {"rows": int(n), "groups": int(groups)}
            totals.append(time.perf_counter() - began)
    quiet["load_at_end"] = loadavg()
    median = sorted(totals)[len(totals) // 2]
    return {
        "sql": "SELECT count(*), sum(n) FROM (SELECT <column>, count(*) AS n FROM <table> "
        "GROUP BY <column>) AS s",
        "tables": [
            {
                "table": t,
                "group_by": c,
                **rows[t],
                "median_s": round(sorted(per_table[t])[len(per_table[t]) // 2], 3),
            }
            for t, c in tables
        ],
        "rounds_s": [round(x, 3) for x in totals],
        "median_s": round(median, 3),
        "load": quiet,
    }
