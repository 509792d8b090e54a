"""Contract reports (progress, financial) past their due date and not submitted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from servicepark.oversight.models import Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register
from servicepark.procurement.models import Contract, Report


@register
class ReportsOverdue(Rule):
    id = "reports_overdue"
    title = gettext_lazy("Contract reports overdue")
    basis = gettext_lazy(
        "MoF Order 102 (2020), Measures for the Administration of Government Purchase of "
        "Services: performance of the purchase contract; the contract's reporting schedule"
    )
    severity = Severity.MEDIUM
    watches = {
        "procurement.Report": "contract.provider_id",
        "procurement.Contract": "provider_id",
    }

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        # Not submitted by as_of; a terminated contract owes no more reports.
        rows = (
            ctx.only(
                Report.objects.filter(due_on__lt=ctx.as_of).filter(
                    Q(submitted_at__isnull=True) | Q(submitted_at__date__gt=ctx.as_of)
                ),
                "contract__provider_id",
            )
            .exclude(contract__state__in=[Contract.State.DRAFT, Contract.State.TERMINATED])
            .order_by("contract_id", "due_on", "id")
            .values_list(
                "contract_id", "contract__provider_id", "contract__number", "id", "kind", "due_on"
            )
        )
        for contract_id, group in groupby(rows.iterator(chunk_size=5000), key=itemgetter(0)):
            reports = list(group)
            _c, org_id, number, _i, _k, first = reports[0]
            yield Hit(
                org_id,
                f"contract:{contract_id}",
                {"number": number, "count": len(reports), "due": first.isoformat()},
                [
                    evidence("report", pk, f"{number} {kind} {due.isoformat()}")
                    for _c, _o, _n, pk, kind, due in reports
                ],
            )

    def evidence_text(self, item: dict[str, Any]) -> str:
        # Stored as "<contract number> <report kind> <due on>" (see evaluate).
        parts = str(item.get("text", "")).rsplit(" ", 2)
        if len(parts) != 3 or parts[1] not in Report.Kind.values:
            return super().evidence_text(item)
        number, kind, due = parts
        return _("%(number)s, %(kind)s, due on %(due)s") % {
            "number": number,
            "kind": Report.Kind(kind).label,
            "due": due,
        }

    def explain(self, params: dict[str, Any]) -> str:
        values = {**params, "due": date_format(dt.date.fromisoformat(params["due"]), "DATE_FORMAT")}
        return (
            ngettext(
                "A report on contract %(number)s was due on %(due)s and has not been submitted.",
                "%(count)d reports on contract %(number)s have not been submitted; the first was "
                "due on %(due)s.",
                params["count"],
            )
            % values
        )
