"""One purchaser gives a provider most of its contracts: the provider depends on it."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.common.inputs import add_months
from servicepark.oversight.models import Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, chunked, evidence, register
from servicepark.procurement.models import Contract

SHARE = 70  # per cent of the contracts; more than this fires
MIN_CONTRACTS = 3
YEARS = 3
MAX_EVIDENCE = 10


def _contracts(ctx: Context) -> QuerySet[Contract]:
    """Contracts concluded (not drafts; terminated ones were still awarded) that started in
    the last three years."""
    start = add_months(ctx.as_of, -12 * YEARS)
    return ctx.only(
        Contract.objects.exclude(state=Contract.State.DRAFT).filter(
            starts_on__gt=start, starts_on__lte=ctx.as_of
        ),
        "provider_id",
    )


@register
class SinglePurchaser(Rule):
    id = "single_purchaser"
    title = gettext_lazy("Depends on a single purchaser")
    basis = gettext_lazy(
        "policy: risk indicator of this platform (no legal threshold); MoF Order 102 (2020), "
        "Measures for the Administration of Government Purchase of Services"
    )
    severity = Severity.LOW
    watches = {"procurement.Contract": "provider_id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        pairs = (
            _contracts(ctx)
            .values("provider_id", "purchaser_id", "purchaser__name")
            .annotate(n=Count("id"))
            .order_by("provider_id", "-n", "purchaser_id")
            .values_list("provider_id", "purchaser_id", "purchaser__name", "n")
        )
        found: dict[int, tuple[int, str, int, int]] = {}
        for org_id, group in groupby(pairs.iterator(chunk_size=5000), key=itemgetter(0)):
            rows = list(group)
            total = sum(row[3] for row in rows)
            _o, purchaser_id, name, n = rows[0]
            if total >= MIN_CONTRACTS and n * 100 > total * SHARE:
                found[org_id] = (purchaser_id, name, n, total)
        for batch in chunked(found):
            contracts = (
                _contracts(ctx)
                .filter(provider_id__in=batch)
                .order_by("provider_id", "starts_on", "id")
                .values_list("provider_id", "purchaser_id", "id", "number")
            )
            for org_id, made in groupby(contracts.iterator(chunk_size=5000), key=itemgetter(0)):
                purchaser_id, name, n, total = found[org_id]
                proof = [
                    evidence("contract", pk, number)
                    for _o, buyer, pk, number in made
                    if buyer == purchaser_id
                ]
                yield Hit(
                    org_id,
                    f"purchaser:{purchaser_id}",
                    {
                        "purchaser": name,
                        "count": n,
                        "total": total,
                        "share": round(n * 100 / total),
                    },
                    proof[:MAX_EVIDENCE],
                )

    def explain(self, params: dict[str, Any]) -> str:
        return (
            _(
                "%(count)d of the organization's %(total)d contracts of the last three years "
                "(%(share)d %%) came from one purchaser, %(purchaser)s: it depends on that "
                "purchaser and may not be independent of it."
            )
            % params
        )
