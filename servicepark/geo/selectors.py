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


_PROVINCES: list[tuple[Division, ...]] = []


def provinces() -> tuple[Division, ...]:
    """The provinces, which every empty division picker lists: reference data, read once
    (an empty table, before the divisions are loaded, is not remembered)."""
    if not _PROVINCES:
        found = tuple(Division.objects.filter(parent_id=None).only("code", "name", "parent_id"))
        if not found:
            return found
        _PROVINCES.append(found)
    return _PROVINCES[0]


def division_names(codes: set[str]) -> dict[str, str]:
    return dict(Division.objects.filter(code__in=codes).values_list("code", "name"))


def division_picker_levels(code: str) -> dict[str, object]:
    """For a picker showing `code`: one select per level (siblings, the chosen one marked) and
    a last select with its children. Unknown codes show the province list."""
    chain = division_ancestors(code) if code else []
    levels = []
    for node in chain:
        siblings = list(
            Division.objects.filter(parent_id=node.parent_id).only("code", "name", "parent_id")
        )
        levels.append({"parent": node.parent_id or "", "chosen": node.code, "options": siblings})
    last = chain[-1].code if chain else None
    children = (
        list(provinces())
        if last is None
        else list(Division.objects.filter(parent_id=last).only("code", "name", "parent_id"))
    )
    return {"code": last or "", "levels": levels, "children": children, "parent": last or ""}
