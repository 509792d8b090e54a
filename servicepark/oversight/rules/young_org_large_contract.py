"""A large contract signed less than a year after the provider was founded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, DateField, F, Q, When
from django.db.models.functions import Greatest, TruncDate
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.common.inputs import add_months
from servicepark.oversight.models import Severity
from servicepark.oversight.rules.base import Context, Hit, Rule, evidence, register
from servicepark.procurement.models import Contract

YEARS = 2  # contracts signed this recently are looked at


def signed_on() -> Case:
    """The day a contract was signed: the later of the two signatures, else its start."""
    both = Q(purchaser_signed_at__isnull=False, provider_signed_at__isnull=False)
    return Case(
        When(
            both, then=Greatest(TruncDate("purchaser_signed_at"), TruncDate("provider_signed_at"))
        ),
        default=F("starts_on"),
        output_field=DateField(),
    )


def _day(iso: str) -> str:
    return date_format(dt.date.fromisoformat(iso), "DATE_FORMAT")


@register
class YoungOrgLargeContract(Rule):
    id = "young_org_large_contract"
    title = gettext_lazy("Large contract to a newly founded organization")
    basis = gettext_lazy(
        "policy: risk indicator of this platform (capacity to perform); MoF Order 102 (2020), "
        "Measures for the Administration of Government Purchase of Services"
    )
    severity = Severity.MEDIUM
    watches = {"procurement.Contract": "provider_id", "registry.Organization": "id"}

    def evaluate(self, ctx: Context) -> Iterable[Hit]:
        start = add_months(ctx.as_of, -12 * YEARS)
        rows = (
            ctx.only(
                Contract.objects.exclude(state=Contract.State.DRAFT).filter(
                    price__gte=Decimal(settings.SERVICEPARK_LARGE_CONTRACT),
                    # founded less than a year before a signature after `start`
                    provider__founded_on__gt=add_months(start, -12),
                ),
                "provider_id",
            )
            .annotate(signed=signed_on())
            .filter(signed__gt=start, signed__lte=ctx.as_of)
            .order_by()
            .values_list("id", "provider_id", "number", "price", "signed", "provider__founded_on")
        )
        for pk, org_id, number, price, signed, founded in rows.iterator(chunk_size=5000):
            if signed >= add_months(founded, 12):
                continue
            yield Hit(
                org_id,
                f"contract:{pk}",
                {
                    "number": number,
                    "price": str(price),
                    "signed": signed.isoformat(),
                    "founded": founded.isoformat(),
                },
                [evidence("contract", pk, f"{number}: {price} / {signed.isoformat()}")],
            )

    def explain(self, params: dict[str, Any]) -> str:
        return _(
            "Contract %(number)s worth ¥%(price)s was signed on %(signed)s, less than a year "
            "after the organization was founded (%(founded)s)."
        ) % {
            "number": params["number"],
            "price": number_format(Decimal(params["price"]), 2, force_grouping=True),
            "signed": _day(params["signed"]),
            "founded": _day(params["founded"]),
        }
