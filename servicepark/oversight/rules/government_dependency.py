"""An organization living on government purchase (seed 003): more than 80 % of its revenue."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import F, Max, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.oversight.models import AnnualReport, Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register

THRESHOLD = Decimal("0.8")


@register
class GovernmentDependency(Rule):
    id = "government_dependency"
    title = gettext_lazy("Dependent on government purchase")
    basis = gettext_lazy(
        "Guiding Opinions on Government Purchase of Services from Social Forces (2013): "
        "providers should be independent; seed 003"
    )
    severity = Severity.LOW
    watches = {"oversight.AnnualReport": "organization_id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        latest = (
            AnnualReport.objects.filter(
                organization=OuterRef("organization"), year__lte=ctx.as_of.year
            )
            .order_by()
            .values("organization")
            .annotate(y=Max("year"))
            .values("y")
        )
        rows = (
            ctx.only(AnnualReport.objects.all())
            .filter(year=Subquery(latest), submitted_at__date__lte=ctx.as_of)
            .annotate(total=AnnualReport.revenue_expression())
            .filter(total__gt=0, revenue_government__gt=F("total") * THRESHOLD)
            .values_list("id", "organization_id", "year", "revenue_government", "total")
        )
        for report_id, org_id, year, government, total in rows.iterator(chunk_size=5000):
            share = int((Decimal(government) / Decimal(total) * 100).quantize(Decimal(1)))
            yield Hit(
                org_id,
                "dependency",
                {"year": year, "share": share},
                [evidence("annual_report", report_id, f"{year}: {government} / {total}")],
            )

    def explain(self, params: dict[str, Any]) -> str:
        return (
            _(
                "In %(year)d, %(share)d %% of the organization's revenue came from government "
                "purchase (the warning threshold is 80 %%): it may not survive without it and may "
                "not be independent of its purchasers."
            )
            % params
        )
