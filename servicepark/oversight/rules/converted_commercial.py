"""A company re-registered as a non-profit and winning contracts soon after (seed 003)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.common.inputs import add_months
from servicepark.oversight.models import Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register
from servicepark.oversight.rules.young_org_large_contract import signed_on
from servicepark.procurement.models import Contract

YEARS = 2  # contracts signed within this long after the conversion, and this recently


def _day(iso: str) -> str:
    return date_format(dt.date.fromisoformat(iso), "DATE_FORMAT")


@register
class ConvertedCommercial(Rule):
    id = "converted_commercial"
    title = gettext_lazy("Contract soon after converting from a company")
    basis = gettext_lazy("policy: seed 003 (a company re-registered as a non-profit)")
    severity = Severity.MEDIUM
    watches = {"procurement.Contract": "provider_id", "registry.Organization": "id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        # As young_org_large_contract: a signature older than YEARS is no longer a warning.
        start = add_months(ctx.as_of, -12 * YEARS)
        rows = (
            ctx.only(
                Contract.objects.exclude(state=Contract.State.DRAFT).filter(
                    provider__converted_on__isnull=False,
                    provider__converted_on__gt=add_months(start, -12 * YEARS),
                ),
                "provider_id",
            )
            .annotate(signed=signed_on())
            .filter(
                signed__gte=F("provider__converted_on"), signed__gt=start, signed__lte=ctx.as_of
            )
            .order_by()
            .values_list("id", "provider_id", "number", "signed", "provider__converted_on")
        )
        for pk, org_id, number, signed, converted in rows.iterator(chunk_size=5000):
            if signed >= add_months(converted, 12 * YEARS):
                continue
            yield Hit(
                org_id,
                f"contract:{pk}",
                {
                    "number": number,
                    "signed": signed.isoformat(),
                    "converted": converted.isoformat(),
                },
                [evidence("contract", pk, f"{number}: {signed.isoformat()}")],
            )

    def explain(self, params: dict[str, Any]) -> str:
        return _(
            "Contract %(number)s was signed on %(signed)s, less than two years after the "
            "organization converted from a company (%(converted)s)."
        ) % {
            "number": params["number"],
            "signed": _day(params["signed"]),
            "converted": _day(params["converted"]),
        }
