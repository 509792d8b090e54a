"""What an early-warning rule is. One module per rule in this package (the way
ProzorroUKR/prozorro-risks keeps one risk per module): an identifier, a title, the legal or
policy basis, a severity, the objects it looks at, and `evaluate`, which returns signals
(`Hit`s) with the evidence. The explanation is rendered from the hit's `params` when a reader
opens it, so it reads in the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from servicepark.oversight.models import Severity


@dataclass(frozen=True)
class Hit:
    organization_id: int
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    severity: int | None = None  # when one hit is graver than the rule's usual


@dataclass(frozen=True)
class Context:
    """The date the rules judge by, and (after an event) the only organizations to look at."""

    as_of: dt.date
    organization_ids: frozenset[int] | None = None

    def only(self, queryset: QuerySet[Any], path: str = "organization_id") -> QuerySet[Any]:
        if self.organization_ids is None:
            return queryset
        return queryset.filter(**{f"{path}__in": self.organization_ids})


def evidence(kind: str, ident: Any, text: str) -> dict[str, Any]:
    """One piece of evidence: what it is (a key of `EVIDENCE_KINDS`), its id, a short text."""
    return {"kind": kind, "id": ident, "text": text}


class Rule:
    id: ClassVar[str]
    title: ClassVar[str | Promise]
    basis: ClassVar[str | Promise]
    severity: ClassVar[int] = Severity.MEDIUM
    # The models whose rows this rule reads, with the path from a row to the organization it
    # concerns: a saved row of one of them refreshes that organization's signals.
    watches: ClassVar[dict[str, str]] = {}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        raise NotImplementedError

    def watching(self, labels: Iterable[str]) -> bool:
        """Whether a saved row of one of these models (labels like "oversight.AnnualReport")
        may change this rule's signals: an incremental run evaluates only such rules."""
        return any(label in self.watches for label in labels)

    def explain(self, params: dict[str, Any]) -> str:
        raise NotImplementedError

    def evidence_text(self, item: dict[str, Any]) -> str:
        """A piece of evidence's text as the reader sees it. The stored text may hold codes
        (choice values, as the signal sync compares them); a rule whose text does turns
        them into labels here, in the reader's language."""
        return str(item.get("text", ""))

    def organizations_touched(self, instance: Model) -> set[int]:
        """The organizations whose signals a saved `instance` may change."""
        path = self.watches.get(instance._meta.label)
        if path is None:
            return set()
        node: Any = instance
        for part in path.split("."):
            node = getattr(node, part, None)
            if node is None:
                return set()
        return {int(node)}


RULES: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    if cls.id in RULES:
        raise RuntimeError(f"Rule {cls.id!r} registered twice")
    RULES[cls.id] = cls()
    return cls


def chunked(ids: Iterable[int], size: int = 5000) -> Iterator[list[int]]:
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


Explain = Callable[[dict[str, Any]], str]
