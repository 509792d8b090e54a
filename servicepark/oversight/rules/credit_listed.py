"""On a credit list now: the abnormal activity list or the serious illegal and dishonest list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.oversight.models import CreditList, CreditListing, Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register
from servicepark.oversight.triggers import TRIGGERS


@register
class CreditListed(Rule):
    id = "credit_listed"
    title = gettext_lazy("On a credit list")
    basis = gettext_lazy(
        "MCA Order 60 (Measures for the Administration of Social Organizations' Credit "
        "Information, 2018): abnormal activity list, serious illegal and dishonest list"
    )
    severity = Severity.MEDIUM
    watches = {"oversight.CreditListing": "organization_id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        rows = (
            ctx.only(
                CreditListing.objects.filter(listed_on__lte=ctx.as_of).filter(
                    Q(removed_on__isnull=True) | Q(removed_on__gt=ctx.as_of)
                )
            )
            .order_by()
            .values_list("id", "organization_id", "list", "trigger", "listed_on")
        )
        serious, high = CreditList.SERIOUS, Severity.HIGH
        for pk, org_id, listed, trigger, listed_on in rows.iterator(chunk_size=5000):
            day = listed_on.isoformat()
            yield Hit(
                org_id,
                f"listing:{pk}",
                {"list": listed, "trigger": trigger, "listed_on": day},
                [evidence("listing", pk, f"{listed}/{trigger} {day}")],
                high if listed == serious else None,
            )

    def evidence_text(self, item: dict[str, Any]) -> str:
        # Stored as "<list>/<trigger> <listed on>" (see evaluate).
        codes, _sep, day = str(item.get("text", "")).partition(" ")
        listed, _sep, code = codes.partition("/")
        if listed not in CreditList.values:
            return super().evidence_text(item)
        return _("%(list)s (%(reason)s), %(date)s") % {
            "list": CreditList(listed).label,
            "reason": TRIGGERS[code].title if code in TRIGGERS else code,
            "date": day,
        }

    def explain(self, params: dict[str, Any]) -> str:
        code = params["trigger"]
        reason = TRIGGERS[code].title if code in TRIGGERS else code
        names = dict(CreditList.choices)
        return _("On the %(list)s since %(listed_on)s: %(reason)s.") % {
            "list": names.get(params["list"], params["list"]),
            "listed_on": date_format(dt.date.fromisoformat(params["listed_on"]), "DATE_FORMAT"),
            "reason": reason,
        }
