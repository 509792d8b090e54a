"""The legal representative changed again and again within three years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Count, F, Window
from django.db.models.functions import TruncDate
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.common.inputs import add_months
from servicepark.oversight.models import Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register
from servicepark.registry.models import ChangeRequest

YEARS = 3
FIRES, GRAVER = 2, 3  # changes within YEARS


@register
class LegalRepChanges(Rule):
    id = "legal_rep_changes"
    title = gettext_lazy("Frequent changes of legal representative")
    basis = gettext_lazy("policy: risk indicator of this platform (unstable leadership)")
    severity = Severity.LOW
    watches = {"registry.ChangeRequest": "organization_id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        start = add_months(ctx.as_of, -12 * YEARS)
        rows = (
            ctx.only(
                ChangeRequest.objects.filter(
                    state=ChangeRequest.State.APPROVED,
                    changes__has_key="legal_representative",
                    decided_at__date__gt=start,
                    decided_at__date__lte=ctx.as_of,
                )
            )
            # Only organizations with enough changes leave the database, each change with
            # its local date (B6: most organizations changed once, or never).
            .annotate(
                day=TruncDate("decided_at"),
                changes_made=Window(Count("id"), partition_by=F("organization_id")),
            )
            .filter(changes_made__gte=FIRES)
            .order_by("organization_id", "decided_at", "id")
            .values_list("organization_id", "id", "day", "changes__legal_representative")
        )
        for org_id, group in groupby(rows.iterator(chunk_size=5000), key=itemgetter(0)):
            changes = [(pk, day.isoformat(), name) for _o, pk, day, name in group]
            yield Hit(
                org_id,
                "legal_rep",
                {"count": len(changes), "dates": [day for _p, day, _n in changes]},
                [evidence("change_request", pk, f"{day}: {name}") for pk, day, name in changes],
                severity=Severity.MEDIUM if len(changes) >= GRAVER else None,
            )

    def explain(self, params: dict[str, Any]) -> str:
        dates = "、".join(
            date_format(dt.date.fromisoformat(day), "DATE_FORMAT") for day in params["dates"]
        )
        return _(
            "The legal representative was changed %(count)d times in three years (%(dates)s)."
        ) % {"count": params["count"], "dates": dates}
