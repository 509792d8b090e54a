"""Registered letters to the registered address returned unsigned, with none signed for since:
the organization cannot be contacted where it is registered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.oversight.models import RegisteredLetter, Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register

LETTERS = 2  # returned unsigned, with none signed for in between


@register
class Unreachable(Rule):
    id = "unreachable"
    title = gettext_lazy("Cannot be contacted at the registered address")
    basis = gettext_lazy(
        "MCA Order 60 (Measures for the Administration of Social Organizations' Credit "
        "Information, 2018): abnormal activity list"
    )
    severity = Severity.HIGH
    watches = {"oversight.RegisteredLetter": "organization_id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        # A letter signed for on or after a return shows the organization was reachable.
        signed_since = RegisteredLetter.objects.filter(
            organization=OuterRef("organization"),
            signed_on__gte=OuterRef("returned_on"),
            signed_on__lte=ctx.as_of,
        )
        rows = (
            ctx.only(RegisteredLetter.objects.filter(returned_on__lte=ctx.as_of))
            .exclude(Exists(signed_since))
            .order_by("organization_id", "returned_on", "id")
            .values_list("organization_id", "id", "sent_on", "returned_on", "tracking_number")
        )
        for org_id, group in groupby(rows.iterator(chunk_size=5000), key=itemgetter(0)):
            letters = list(group)
            if len(letters) < LETTERS:
                continue
            yield Hit(
                org_id,
                "letters",
                {
                    "count": len(letters),
                    "first": letters[0][2].isoformat(),
                    "last": letters[-1][3].isoformat(),
                },
                [
                    evidence("letter", pk, f"{number}: {sent.isoformat()} → {back.isoformat()}")
                    for _o, pk, sent, back, number in letters
                ],
            )

    def explain(self, params: dict[str, Any]) -> str:
        last = date_format(dt.date.fromisoformat(params["last"]), "DATE_FORMAT")
        return _(
            "%(count)d registered letters to the registered address came back unsigned (the "
            "last on %(last)s) and none has been signed for since: the organization cannot be "
            "contacted there."
        ) % {"count": params["count"], "last": last}
