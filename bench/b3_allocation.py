"""B3 — the award optimiser on 5,000 applications over 16 fields of service.

Budget = 20 % of all requests; every field may take at most 15 % of the budget, environment and
culture must get at least 3 % each (the fields seed 001 says are left out); at most 2 awards per
organization. Measures the time to a proven optimum (HiGHS, zero gap) and the score gained over
the greedy choice. Usage: python bench/b3_allocation.py [--apps N] [--runs R] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from decimal import Decimal
from pathlib import Path

from common import django_setup, machine_info, write_json  # type: ignore[import-not-found]


def make_problem(n: int, seed: int = 20261122):  # type: ignore[no-untyped-def]
    from servicepark.procurement.allocation import AllocationProblem, Candidate
    from servicepark.registry.models.choices import Field

    rng = random.Random(seed)
    fields = list(Field.values)
    candidates = []
    for i in range(n):
        requested = Decimal(rng.randrange(5_000, 80_001)).quantize(Decimal("0.01"))
        candidates.append(
            Candidate(
                id=f"A{i:05d}",
                organization=f"ORG{rng.randrange(n // 3):05d}",
                field=rng.choice(fields),
                requested=requested,
                score=Decimal(str(round(rng.uniform(50, 100), 2))),
                eligible=rng.random() > 0.1,
            )
        )
    total = sum(c.requested for c in candidates)
    budget = (total * Decimal("0.20")).quantize(Decimal("0.01"))
    return AllocationProblem(
        budget=budget,
        candidates=tuple(candidates),
        min_per_field={
            f: (budget * Decimal("0.03")).quantize(Decimal("0.01"))
            for f in ("environment", "culture")
        },
        max_per_field={f: (budget * Decimal("0.15")).quantize(Decimal("0.01")) for f in fields},
        max_per_organization=2,
    )


def time_aggregation(n: int, jurors: int = 5, runs: int = 5) -> dict[str, float]:
    """Scores of `jurors` jurors on four criteria for `n` applications, aggregated."""
    from servicepark.procurement.scoring import aggregate

    rng = random.Random(7)
    criteria = ["need", "design", "capacity", "budget"]
    maxima = [25, 35, 25, 15]
    sheets = [
        [
            {c: rng.randint(0, m) for c, m in zip(criteria, maxima, strict=True)}
            for _ in range(jurors)
        ]
        for _ in range(n)
    ]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for app_sheets in sheets:
            aggregate(app_sheets, criteria, spread_limit=Decimal(20))
        times.append(time.perf_counter() - start)
    return {
        "applications": n,
        "jurors": jurors,
        "median_s": statistics.median(times),
        "max_s": max(times),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    django_setup()
    from servicepark.procurement.allocation import allocate

    problem = make_problem(args.apps)
    times = []
    result = None
    for _ in range(args.runs):
        start = time.perf_counter()
        result = allocate(problem)
        times.append(time.perf_counter() - start)
    assert result is not None and result.optimal is not None
    gain = result.optimal.total_score - result.greedy.total_score
    aggregation = time_aggregation(args.apps)
    data = {
        "benchmark": "b3_allocation",
        "applications": args.apps,
        "fields": 16,
        "budget": str(problem.budget),
        "status": result.status,
        "runs": args.runs,
        "seconds": {"median": statistics.median(times), "max": max(times), "all": times},
        "optimal": {
            "selected": len(result.optimal.selected),
            "total_score": str(result.optimal.total_score),
            "total_amount": str(result.optimal.total_amount),
        },
        "greedy": {
            "selected": len(result.greedy.selected),
            "total_score": str(result.greedy.total_score),
            "total_amount": str(result.greedy.total_amount),
        },
        "score_gain": str(gain),
        "score_gain_pct": float(gain / result.greedy.total_score * 100),
        "greedy_meets_minimums": all(
            sum(
                c.requested
                for c in problem.candidates
                if c.id in set(result.greedy.selected) and c.field == f
            )
            >= m
            for f, m in problem.min_per_field.items()
        ),
        "aggregation_5_jurors": aggregation,
        "machine": machine_info(),
    }
    if args.out:
        write_json(args.out, data)
    print(json.dumps({k: v for k, v in data.items() if k != "machine"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
