"""Money is Decimal yuan with two places, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

CENT = Decimal("0.01")


def yuan(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("Money must not be a float")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class MoneyField(models.DecimalField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
