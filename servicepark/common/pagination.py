"""Pagination that stays fast on a million rows: the count stops at a cap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

# Counting every match of a common fragment in a million rows costs hundreds of milliseconds;
# nobody pages past the first thousand results, they narrow the search instead.
COUNT_CAP = 1_000


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    count: int
    count_capped: bool

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return 0 if not self.items else (self.number - 1) * self.per_page + 1


def paginate(queryset: QuerySet[Any], *, page: Any, per_page: int = 20) -> Page:
    """Count at most COUNT_CAP matches (a bounded scan), then slice one page."""
    try:
        number = max(1, int(page))
    except (TypeError, ValueError):
        number = 1
    capped_count = queryset.order_by()[: COUNT_CAP + 1].count()
    capped = capped_count > COUNT_CAP
    count = min(capped_count, COUNT_CAP)
    last = max(1, -(-count // per_page))
    number = min(number, last)
    offset = (number - 1) * per_page
    # Pick the page's ids first without the joins, then load those rows with them: otherwise
    # PostgreSQL may join every match before keeping one page (see docs/BENCHMARKS.md).
    ids = list(queryset.values_list("pk", flat=True)[offset : offset + per_page])
    items = list(queryset.filter(pk__in=ids)) if ids else []
    return Page(items=items, number=number, per_page=per_page, count=count, count_capped=capped)
