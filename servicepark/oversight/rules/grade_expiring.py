"""An evaluation grade about to expire with no newer grade to follow it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.oversight.models import GradeAssessment, Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register

GRADED = GradeAssessment.State.GRADED


@register
class GradeExpiring(Rule):
    id = "grade_expiring"
    title = gettext_lazy("Evaluation grade expiring")
    basis = gettext_lazy(
        "Measures for Evaluating Social Organizations (MCA Order 39, 2010): grades are valid "
        "for a limited term"
    )
    severity = Severity.LOW
    watches = {"oversight.GradeAssessment": "organization_id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        notice = ctx.as_of + dt.timedelta(days=int(settings.SERVICEPARK_GRADE_NOTICE_DAYS))
        later = GradeAssessment.objects.filter(
            Q(valid_until__gt=OuterRef("valid_until"))
            | Q(valid_until=OuterRef("valid_until"), id__gt=OuterRef("id")),
            organization=OuterRef("organization"),
            state=GRADED,
            valid_until__isnull=False,
        )
        rows = (
            ctx.only(
                GradeAssessment.objects.filter(
                    state=GRADED, valid_until__gte=ctx.as_of, valid_until__lte=notice
                )
            )
            .exclude(Exists(later))
            .order_by()
            .values_list("id", "organization_id", "grade", "valid_until")
        )
        for pk, org_id, grade, until in rows.iterator(chunk_size=5000):
            yield Hit(
                org_id,
                f"grade:{pk}",
                {"grade": grade, "until": until.isoformat()},
                [evidence("grade", pk, f"{grade} → {until.isoformat()}")],
            )

    def explain(self, params: dict[str, Any]) -> str:
        until = date_format(dt.date.fromisoformat(params["until"]), "DATE_FORMAT")
        return _(
            "The organization's %(grade)s evaluation grade expires on %(until)s and no new "
            "assessment has been graded."
        ) % {"grade": params["grade"], "until": until}
