"""A resident still in the incubation park after its residency ended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.incubator.models import Residency
from servicepark.oversight.models import Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register


@register
class Overstaying(Rule):
    id = "overstaying"
    title = gettext_lazy("Residency past its end")
    basis = gettext_lazy("policy: the park's residency agreement (a fixed incubation term)")
    severity = Severity.LOW
    watches = {"incubator.Residency": "organization_id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        rows = (
            ctx.only(Residency.objects.filter(state__in=Residency.IN_PARK, ends_on__lt=ctx.as_of))
            .order_by()
            .values_list("id", "organization_id", "park__name", "ends_on")
        )
        for pk, org_id, park, ends_on in rows.iterator(chunk_size=5000):
            yield Hit(
                org_id,
                f"residency:{pk}",
                {"park": park, "ends_on": ends_on.isoformat()},
                [evidence("residency", pk, f"{park}: {ends_on.isoformat()}")],
            )

    def explain(self, params: dict[str, Any]) -> str:
        ends_on = date_format(dt.date.fromisoformat(params["ends_on"]), "DATE_FORMAT")
        return _(
            "The residency in %(park)s ended on %(ends_on)s, but the organization is still "
            "recorded as in the park."
        ) % {"park": params["park"], "ends_on": ends_on}
