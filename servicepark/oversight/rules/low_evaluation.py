"""A third-party evaluation that failed a contract in the last three years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.common.inputs import add_months
from servicepark.oversight.models import Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register
from servicepark.procurement.models import Evaluation

YEARS = 3


@register
class LowEvaluation(Rule):
    id = "low_evaluation"
    title = gettext_lazy("Failed a contract evaluation")
    basis = gettext_lazy(
        "MoF Order 102 (2020), Measures for the Administration of Government Purchase of "
        "Services: performance evaluation of purchased services"
    )
    severity = Severity.MEDIUM
    watches = {"procurement.Evaluation": "contract.provider_id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        start = add_months(ctx.as_of, -12 * YEARS)
        rows = (
            ctx.only(
                Evaluation.objects.filter(
                    grade=Evaluation.Grade.FAIL,
                    submitted_at__date__gt=start,
                    submitted_at__date__lte=ctx.as_of,
                ),
                "contract__provider_id",
            )
            .order_by()
            .values_list(
                "id", "contract_id", "contract__provider_id", "contract__number", "submitted_at"
            )
        )
        for pk, contract_id, org_id, number, submitted in rows.iterator(chunk_size=5000):
            day = timezone.localtime(submitted).date().isoformat()
            yield Hit(
                org_id,
                f"evaluation:{pk}",
                {"number": number, "date": day},
                [
                    evidence("evaluation", pk, f"{number}: fail {day}"),
                    evidence("contract", contract_id, number),
                ],
            )

    def evidence_text(self, item: dict[str, Any]) -> str:
        # The evaluation is stored as "<contract number>: fail <date>" (see evaluate).
        number, sep, rest = str(item.get("text", "")).partition(": ")
        grade, _sep, day = rest.partition(" ")
        if item.get("kind") != "evaluation" or not sep or grade not in Evaluation.Grade.values:
            return super().evidence_text(item)
        return _("%(number)s: %(grade)s, %(date)s") % {
            "number": number,
            "grade": Evaluation.Grade(grade).label,
            "date": day,
        }

    def explain(self, params: dict[str, Any]) -> str:
        day = date_format(dt.date.fromisoformat(params["date"]), "DATE_FORMAT")
        return _(
            "The third-party evaluation of contract %(number)s, submitted on %(date)s, graded "
            "the service a fail."
        ) % {"number": params["number"], "date": day}
