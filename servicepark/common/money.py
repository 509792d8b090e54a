"""Money is Decimal yuan with two places, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


class AmountError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


LARGEST = Decimal("1e14")


def parse_yuan(value: object) -> Decimal:
    """An amount of yuan as people and files write it: text, an integer or a Decimal (never a
    float), zero or more, at most two decimal places. Raises AmountError with a message."""
    from django.utils.translation import gettext as _

    if isinstance(value, float | bool) or value is None:
        raise AmountError(_("Write amounts as numbers such as 80000.00."))
    shown = str(value)[:30].replace("\x00", "")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise AmountError(_("“%(v)s” is not an amount in yuan.") % {"v": shown}) from None
    if not amount.is_finite():  # "NaN", "Infinity": not a negative amount, not an amount
        raise AmountError(_("“%(v)s” is not an amount in yuan.") % {"v": shown})
    if amount < 0:
        raise AmountError(_("An amount cannot be negative (it must be zero or more)."))
    # The size first: quantizing "1e30" to fen needs more digits than Decimal keeps and raised
    # InvalidOperation (found by fuzzing).
    if amount >= LARGEST:
        raise AmountError(_("The amount is too large."))
    if amount != amount.quantize(CENT):
        raise AmountError(_("At most two decimal places (fen)."))
    return amount.quantize(CENT)
