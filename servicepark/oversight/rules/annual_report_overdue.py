"""An annual report that was due and has not been filed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.oversight.duties import owing_report, report_years
from servicepark.oversight.models import AnnualReport, Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register


@register
class AnnualReportOverdue(Rule):
    id = "annual_report_overdue"
    title = gettext_lazy("Annual report overdue")
    basis = gettext_lazy(
        "Regulations on the Registration of Social Groups and of Private Non-enterprise Units: "
        "yearly report to the registrar; MCA Order 60 (2018): abnormal activity list"
    )
    severity = Severity.MEDIUM
    watches = {"oversight.AnnualReport": "organization_id", "registry.Organization": "id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        missing: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for (year, due), types in report_years(ctx.as_of).items():  # by year, ascending
            filed = AnnualReport.objects.filter(organization=OuterRef("pk"), year=year)
            owing = ctx.only(owing_report(types, year), "id").exclude(Exists(filed))
            for org_id in owing.values_list("id", flat=True).iterator(chunk_size=5000):
                missing[org_id].append((year, due.isoformat()))
        for org_id, years in missing.items():
            yield Hit(
                org_id,
                "annual_report",
                {"years": [y for y, _d in years], "due": years[-1][1]},
                [evidence("organization", org_id, ", ".join(str(y) for y, _d in years))],
                severity=Severity.HIGH if len(years) > 1 else None,
            )

    def explain(self, params: dict[str, Any]) -> str:
        import datetime as dt

        years = "、".join(str(y) for y in params["years"])
        due = date_format(dt.date.fromisoformat(params["due"]), "DATE_FORMAT")
        if len(params["years"]) > 1:
            return _(
                "No annual report for %(years)s: two consecutive years missing, which is "
                "grounds to cancel the registration (the last was due on %(due)s)."
            ) % {"years": years, "due": due}
        return _("The annual report for %(years)s was due on %(due)s and has not been filed.") % {
            "years": years,
            "due": due,
        }
