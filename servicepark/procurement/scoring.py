"""Aggregating jurors' scores: mean per criterion, trimmed with five or more jurors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

TWO = Decimal("0.01")


@dataclass(frozen=True)
class Aggregate:
    per_criterion: dict[str, Decimal]
    total: Decimal
    jurors: int
    spread: Decimal  # highest minus lowest juror total
    disagreement: bool


def aggregate(
    sheets: Sequence[Mapping[str, int | float | Decimal]],
    criteria: Sequence[str],
    *,
    spread_limit: Decimal | None = None,
) -> Aggregate:
    """Each criterion's mean over the jurors; with five or more jurors its highest and lowest
    marks are dropped first. Flags disagreement when juror totals differ by more than the
    limit (setting SERVICEPARK_SCORE_SPREAD, default 20 points)."""
    limit = (
        spread_limit
        if spread_limit is not None
        else Decimal(str(getattr(settings, "SERVICEPARK_SCORE_SPREAD", 20)))
    )
    exact: dict[str, Decimal] = {}
    for key in criteria:
        marks = sorted(Decimal(str(s[key])) for s in sheets)
        if len(marks) >= 5:
            marks = marks[1:-1]
        exact[key] = sum(marks, Decimal(0)) / len(marks) if marks else Decimal(0)
    per = {key: value.quantize(TWO, ROUND_HALF_UP) for key, value in exact.items()}
    # The total is rounded once, from the exact means (not the sum of rounded parts).
    total = sum(exact.values(), Decimal(0)).quantize(TWO, ROUND_HALF_UP)
    totals = [sum((Decimal(str(s[k])) for k in criteria), Decimal(0)) for s in sheets]
    spread = (max(totals) - min(totals)) if totals else Decimal(0)
    return Aggregate(per, total, len(sheets), spread, spread > limit)
