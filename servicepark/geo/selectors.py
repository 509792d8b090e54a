"""Reads of the division tree."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import QuerySet

from servicepark.geo.codes import significant_prefix
from servicepark.geo.models import Division


def division_get(code: str) -> Division | None:
    return Division.objects.filter(code=code).first()


def division_ancestors(code: str) -> list[Division]:
    """From the province down to the division itself."""
    chain: list[Division] = []
    node = Division.objects.select_related("parent__parent__parent").filter(code=code).first()
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def division_descendants(code: str) -> QuerySet[Division]:
    return Division.objects.filter(code__startswith=significant_prefix(code)).exclude(code=code)


def division_children(code: str | None) -> QuerySet[Division]:
    return Division.objects.filter(parent_id=code).order_by("code")


@lru_cache(maxsize=1)
def division_code_set() -> frozenset[str]:
    """All valid codes, for validating many rows at once (the table changes only by migration)."""
    return frozenset(Division.objects.values_list("code", flat=True))


def division_names(codes: set[str]) -> dict[str, str]:
    return dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
