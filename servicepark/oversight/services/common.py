"""Input checks shared by the oversight services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.inputs import add_months, iso_date, plain_text


def text(value: Any, what: str, limit: int = 5000, required: bool = True) -> str:
    return plain_text(
        value,
        limit=limit,
        required=required,
        missing=_("Write %(what)s (at most %(n)d characters).") % {"what": what, "n": limit},
    )


def amount(value: Any, what: str) -> Decimal:
    """A sum of money in yuan: a number with at most two decimals, not negative."""
    try:
        number = Decimal(str(value).replace(",", "").strip() or "0")
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(what)s must be an amount in yuan.") % {"what": what}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError(_("%(what)s cannot be negative.") % {"what": what})
    # The size first: quantizing "1e30" needs more digits than Decimal keeps (found by fuzzing).
    if number >= Decimal("1e12") or number != number.quantize(Decimal("0.01")):
        raise ValidationError(
            _("%(what)s must be in yuan with at most two decimals.") % {"what": what}
        )
    return number


def count(value: Any, what: str) -> int:
    raw = str(value if value is not None else "0").strip() or "0"
    # ASCII digits only: "²".isdigit() is true but int("²") fails (found by fuzzing).
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise ValidationError(_("%(what)s must be a whole number, 0 or more.") % {"what": what})
    return int(raw)


def _date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return iso_date(value)
    except ValidationError:
        raise ValidationError(_("Give %(what)s as a date (YYYY-MM-DD).") % {"what": what}) from None


# How far back a recorded fact and how far ahead a deadline may plausibly lie: a year typed as
# 1900 or 2999 is a slip. Twenty years covers back-filling the records of the current
# registration rules; a rectification period is months, not years.
PAST_YEARS = 20
FUTURE_YEARS = 2


def past_date(value: Any, what: str) -> dt.date:
    """A date that has happened (today at the latest, PAST_YEARS back at the earliest)."""
    day = _date(value, what)
    today = timezone.localdate()
    if day > today:
        raise ValidationError(_("%(what)s cannot be in the future.") % {"what": what})
    earliest = add_months(today, -12 * PAST_YEARS)
    if day < earliest:
        raise ValidationError(
            _("%(what)s cannot be before %(day)s.") % {"what": what, "day": earliest.isoformat()}
        )
    return day


def future_date(value: Any, what: str) -> dt.date:
    """A date after today, at most FUTURE_YEARS ahead."""
    day = _date(value, what)
    today = timezone.localdate()
    if day <= today:
        raise ValidationError(_("%(what)s must be after today.") % {"what": what})
    latest = add_months(today, 12 * FUTURE_YEARS)
    if day > latest:
        raise ValidationError(
            _("%(what)s cannot be after %(day)s.") % {"what": what, "day": latest.isoformat()}
        )
    return day
