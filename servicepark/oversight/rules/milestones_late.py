"""Milestones of a running contract past their due date with nothing delivered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Min
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, ngettext

from servicepark.oversight.models import Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register
from servicepark.procurement.models import Contract, Milestone

RUNNING = (Contract.State.SIGNED, Contract.State.ACTIVE)


@register
class MilestonesLate(Rule):
    id = "milestones_late"
    title = gettext_lazy("Contract milestones late")
    basis = gettext_lazy(
        "MoF Order 102 (2020), Measures for the Administration of Government Purchase of "
        "Services: performance of the purchase contract"
    )
    severity = Severity.MEDIUM
    watches = {
        "procurement.Milestone": "contract.provider_id",
        "procurement.Contract": "provider_id",
    }

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        rows = (
            ctx.only(
                Milestone.objects.filter(
                    state=Milestone.State.PENDING,
                    due_on__lt=ctx.as_of,
                    contract__state__in=RUNNING,
                ),
                "contract__provider_id",
            )
            .values("contract_id", "contract__provider_id", "contract__number")
            .annotate(n=Count("id"), first=Min("due_on"))
            .order_by("contract_id")
            .values_list("contract_id", "contract__provider_id", "contract__number", "n", "first")
        )
        for contract_id, org_id, number, n, first in rows.iterator(chunk_size=5000):
            yield Hit(
                org_id,
                f"contract:{contract_id}",
                {"number": number, "count": n, "due": first.isoformat()},
                [evidence("contract", contract_id, f"{number}: {n} × {first.isoformat()}")],
            )

    def explain(self, params: dict[str, Any]) -> str:
        values = {**params, "due": date_format(dt.date.fromisoformat(params["due"]), "DATE_FORMAT")}
        return (
            ngettext(
                "A milestone of contract %(number)s was due on %(due)s and nothing has been "
                "delivered.",
                "%(count)d milestones of contract %(number)s are late with nothing delivered; the "
                "first was due on %(due)s.",
                params["count"],
            )
            % values
        )
