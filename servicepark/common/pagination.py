"""Pagination that stays fast on a million rows: the count stops at a cap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
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


def paginate(
    queryset: QuerySet[Any], *, page: Any, per_page: int = 20, cap: int | None = None
) -> Page:
    """One bounded pass: the ids of the first `cap` + 1 matches (COUNT_CAP unless given) in
    the list's order give both the (capped) count and the page; then that page's rows are
    loaded with their joins.

    Counting and paging separately made PostgreSQL find the matches twice, and a search
    index hands over all of them each time (docs/BENCHMARKS.md, finding 5)."""
    cap = COUNT_CAP if cap is None else cap
    try:
        number = max(1, int(page))
    except (TypeError, ValueError):
        number = 1
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Parallel workers cost more to start than a page's search takes, and on a small
            # server they take the cores other requests need.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        matches = list(queryset.values_list("pk", flat=True)[: max(cap, per_page) + 1])
    capped = len(matches) > cap
    count = min(len(matches), cap)
    last = max(1, -(-count // per_page))
    number = min(number, last)
    offset = (number - 1) * per_page
    # Load the page's rows by id: otherwise PostgreSQL may join every match before keeping
    # one page.
    ids = matches[offset : offset + per_page]
    items = list(queryset.filter(pk__in=ids)) if ids else []
    return Page(items=items, number=number, per_page=per_page, count=count, count_capped=capped)
