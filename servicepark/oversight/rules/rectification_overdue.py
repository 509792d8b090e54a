"""A rectification order still not answered after its deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.oversight.models import Rectification, Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register


@register
class RectificationOverdue(Rule):
    id = "rectification_overdue"
    title = gettext_lazy("Rectification overdue")
    basis = gettext_lazy(
        "MCA Order 60 (Measures for the Administration of Social Organizations' Credit "
        "Information, 2018): rectification not finished in time, abnormal activity list"
    )
    severity = Severity.MEDIUM
    watches = {"oversight.Rectification": "organization_id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        rows = (
            ctx.only(
                Rectification.objects.filter(
                    state=Rectification.State.ORDERED, deadline__lt=ctx.as_of
                )
            )
            .order_by()
            .values_list("id", "organization_id", "deadline", "order")
        )
        for pk, org_id, deadline, order in rows.iterator(chunk_size=5000):
            yield Hit(
                org_id,
                f"rectification:{pk}",
                {"deadline": deadline.isoformat(), "order": order[:100]},
                [evidence("rectification", pk, order[:200])],
            )

    def explain(self, params: dict[str, Any]) -> str:
        deadline = date_format(dt.date.fromisoformat(params["deadline"]), "DATE_FORMAT")
        return _(
            "The rectification order “%(order)s” was due on %(deadline)s and has not been answered."
        ) % {"order": params["order"], "deadline": deadline}
