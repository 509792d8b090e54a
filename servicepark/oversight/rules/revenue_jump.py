"""Revenue that jumped more than fivefold from one year to the next."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django.db.models import DecimalField, F, Window
from django.db.models.functions import Lag
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.oversight.models import AnnualReport, Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register

FACTOR = Decimal(5)  # more than this many times the year before


def _money(value: str) -> str:
    return number_format(Decimal(value), 2, force_grouping=True)


@register
class RevenueJump(Rule):
    id = "revenue_jump"
    title = gettext_lazy("Sudden jump in revenue")
    basis = gettext_lazy("policy: risk indicator of this platform (sudden revenue growth)")
    severity = Severity.MEDIUM
    watches = {"oversight.AnnualReport": "organization_id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        # The report before in the same organization's filed reports (one pass over them,
        # in the order of the (organization, year) index), kept when it is the year before.
        money: Any = DecimalField(max_digits=16, decimal_places=2)
        org, by_year = [F("organization_id")], F("year").asc()
        rows = (
            ctx.only(AnnualReport.objects.filter(submitted_at__date__lte=ctx.as_of))
            .annotate(
                total=AnnualReport.revenue_expression(),
                previous=Window(
                    Lag(cast(Any, AnnualReport.revenue_expression()), output_field=money),
                    partition_by=org,
                    order_by=by_year,
                ),
                previous_year=Window(Lag("year"), partition_by=org, order_by=by_year),
            )
            .filter(
                previous_year=F("year") - 1,
                previous__gt=0,
                total__gt=F("previous") * FACTOR,
            )
            .order_by()
            .values_list("id", "organization_id", "year", "total", "previous")
        )
        for pk, org_id, year, total, previous in rows.iterator(chunk_size=5000):
            total, previous = Decimal(total), Decimal(previous)
            yield Hit(
                org_id,
                f"year:{year}",
                {
                    "year": year,
                    "total": f"{total:.2f}",
                    "previous": f"{previous:.2f}",
                    "ratio": int(total / previous),
                },
                [evidence("annual_report", pk, f"{year}: {total:.2f}; {year - 1}: {previous:.2f}")],
            )

    def explain(self, params: dict[str, Any]) -> str:
        return _(
            "The organization's revenue in %(year)d was ¥%(total)s, %(ratio)d times the "
            "¥%(previous)s of the year before."
        ) % {
            "year": params["year"],
            "ratio": params["ratio"],
            "total": _money(params["total"]),
            "previous": _money(params["previous"]),
        }
