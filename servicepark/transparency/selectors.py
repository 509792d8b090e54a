"""Reads behind the open-data exports. Everything here is public once a call is published, so
nothing is scoped to a user.

Rows are fetched a block of calls at a time (keyset on the call id, then every related table by
the block's id range) as plain `values()` dicts: a fixed number of queries per block, no model
instances, memory bounded by the block size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Exists, Func, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform

from servicepark.procurement.models import Award, Call, Contract, Decision, Milestone, Payment

Row = Mapping[str, Any]
ORG_COLUMNS = ("id", "uscc", "filing_number", "name")
_PUBLISHED = Call.State.PUBLISHED
_FINAL = Decision.State.FINAL
_DRAFT = Contract.State.DRAFT


class UtcText(Func):
    """An instant as the text `encoding.utc_text` writes (2026-01-15T08:00:00Z), formatted by
    the database: parsing a timestamp in Python and formatting it again costs more than the
    rest of a release."""

    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django stores SQLite datetimes as UTC text. The template is %-formatted once here and
        # the SQL once more by the driver wrapper: %%%% reaches SQLite as %.
        template = "strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%SZ', %(expressions)s)"
        return self.as_sql(compiler, connection, template=template, **extra)


def _within(path: str, span: tuple[int, int]) -> dict[str, int]:
    """path between the block's first and last call id (related fields have no __range)."""
    return {f"{path}__gte": span[0], f"{path}__lte": span[1]}


def _content(key: str) -> KeyTextTransform:
    """A text part of the application's content (KT() cannot follow a relation)."""
    return KeyTextTransform(key, "application__content")


def _org(path: str) -> tuple[str, ...]:
    return tuple(f"{path}__{c}" for c in ORG_COLUMNS)


@dataclass
class ProcessBlock:
    """Published calls (ascending id) with what the OCDS releases need, keyed for lookups."""

    calls: Sequence[Row]
    decisions: dict[int, Row] = field(default_factory=dict)  # call id -> its final decision
    awards: dict[int, list[Row]] = field(default_factory=lambda: defaultdict(list))  # by call
    contracts: dict[int, list[Row]] = field(default_factory=lambda: defaultdict(list))  # by call
    milestones: dict[int, list[Row]] = field(default_factory=lambda: defaultdict(list))
    payments: dict[int, list[Row]] = field(default_factory=lambda: defaultdict(list))


def published_calls() -> QuerySet[Call]:
    return Call.objects.filter(state=_PUBLISHED)


def _live_contracts() -> QuerySet[Contract]:
    return Contract.objects.exclude(state=_DRAFT)


def _has_implementation() -> Q:
    return Q(Exists(Milestone.objects.filter(contract=OuterRef("pk")))) | Q(
        Exists(Payment.objects.filter(contract=OuterRef("pk")))
    )


def process_block(*, after_id: int, limit: int) -> ProcessBlock | None:
    """The next `limit` published calls with an id above `after_id`, or None at the end."""
    calls: list[Row] = list(
        published_calls()
        .filter(id__gt=after_id)
        .order_by("id")
        .values(
            "id",
            "title",
            "description",
            "kind",
            "method",
            "total_budget",
            "off_catalogue_reason",
            "restriction_reason",
            "purchaser_id",
            "purchaser__name",
            "purchaser__uscc",
            "catalogue_item_id",
            "catalogue_item__code",
            "catalogue_item__name",
            "catalogue_item__catalogue__year",
            opens=UtcText("opens_at"),
            closes=UtcText("closes_at"),
            created=UtcText("created_at"),
        )[:limit]
    )
    if not calls:
        return None
    span = (calls[0]["id"], calls[-1]["id"])
    block = ProcessBlock(calls=calls)
    for decision in Decision.objects.filter(state=_FINAL, **_within("call_id", span)).values(
        "id", "call_id", finalized=UtcText("finalized_at")
    ):
        block.decisions[decision["call_id"]] = decision
    awards = (
        Award.objects.filter(decision__state=_FINAL, **_within("decision__call_id", span))
        .order_by("decision__call_id", "rank", "id")
        .values(
            "id",
            "decision__call_id",
            "amount",
            *_org("application__organization"),
            *_org("application__applicant"),
            project_title=_content("title"),
        )
    )
    for award in awards:
        block.awards[award["decision__call_id"]].append(award)
    contracts = (
        _live_contracts()
        .filter(**_within("call_id", span))
        .order_by("call_id", "id")
        .values(
            "id",
            "call_id",
            "award_id",
            "number",
            "title",
            "price",
            "starts_on",
            "ends_on",
            "state",
            *_org("provider"),
            *_org("payee"),
            purchaser_signed=UtcText("purchaser_signed_at"),
            provider_signed=UtcText("provider_signed_at"),
            created=UtcText("created_at"),
        )
    )
    for contract in contracts:
        block.contracts[contract["call_id"]].append(contract)
    in_span = _within("contract__call_id", span)
    for milestone in (
        Milestone.objects.filter(**in_span)
        .exclude(contract__state=_DRAFT)
        .order_by("contract_id", "seq")
        .values(
            "id",
            "contract_id",
            "seq",
            "title",
            "due_on",
            "state",
            accepted=UtcText("accepted_at"),
            updated=UtcText("updated_at"),
        )
    ):
        block.milestones[milestone["contract_id"]].append(milestone)
    for payment in (
        Payment.objects.filter(**in_span)
        .exclude(contract__state=_DRAFT)
        .order_by("contract_id", "id")
        .values("id", "contract_id", "amount", *_org("payee"), paid=UtcText("created_at"))
    ):
        block.payments[payment["contract_id"]].append(payment)
    return block


def release_counts(*, after_id: int, limit: int) -> list[tuple[int, int]]:
    """(call id, number of OCDS releases) for the next `limit` published calls; the same rule
    as the release builder: planning and tender always, one award release per final decision,
    and per contract past draft one contract release, plus one implementation release when it
    has milestones or payments."""
    ids = list(
        published_calls()
        .filter(id__gt=after_id)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return []
    span = (ids[0], ids[-1])
    counts = dict.fromkeys(ids, 2)
    for call_id in Decision.objects.filter(state=_FINAL, **_within("call_id", span)).values_list(
        "call_id", flat=True
    ):
        if call_id in counts:
            counts[call_id] += 1
    live = (
        _live_contracts()
        .filter(**_within("call_id", span))
        .annotate(implemented=_has_implementation())
        .values_list("call_id", "implemented")
    )
    for call_id, implemented in live:
        if call_id in counts:
            counts[call_id] += 2 if implemented else 1
    return list(counts.items())


def release_total() -> int:
    """How many OCDS releases the published calls make (see `release_counts`)."""
    calls = published_calls().count()
    finals = Decision.objects.filter(state=_FINAL, call__state=_PUBLISHED).count()
    live = _live_contracts().filter(call__state=_PUBLISHED)
    return 2 * calls + finals + live.count() + live.filter(_has_implementation()).count()


def grant_award_rows(*, after_id: int, limit: int) -> list[Row]:
    """Awards of final decisions on published grant calls, by ascending award id."""
    return list(
        Award.objects.filter(
            id__gt=after_id,
            decision__state=_FINAL,
            decision__call__state=_PUBLISHED,
            decision__call__kind=Call.Kind.GRANT,
        )
        .order_by("id")
        .values(
            "id",
            "amount",
            "decision__call_id",
            "decision__call__title",
            "decision__call__description",
            "decision__call__method",
            "decision__call__purchaser_id",
            "decision__call__purchaser__name",
            "decision__call__purchaser__uscc",
            *_org("application__organization"),
            project_title=_content("title"),
            project_summary=_content("summary"),
            finalized=UtcText("decision__finalized_at"),
        )[:limit]
    )
