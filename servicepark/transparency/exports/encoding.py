"""JSON text for the open-data exports: exact amounts, fixed-width instants, compact output.

Money stays `Decimal` until this point. An amount becomes an int when it is whole, a float when
the float's shortest text is the same number (always, up to 15 significant digits), and
otherwise the exact decimal text is written by a slower encoder. Instants are UTC with whole
seconds in one fixed width, so that ordering the text orders the instants (OCDS merging sorts
releases by the text of their dates).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

# Doubles carry 15 significant decimal digits exactly (DBL_DIG).
_EXACT_DIGITS = 15
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def json_amount(value: Decimal) -> int | float | Decimal:
    """A JSON number with exactly the value of `value`."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if len(value.as_tuple().digits) <= _EXACT_DIGITS or Decimal(repr(as_float)) == value:
        return as_float
    return value  # more digits than a double holds: written as text by _exact_text


def money(value: Decimal) -> dict[str, Any]:
    return {"amount": json_amount(value), "currency": "CNY"}


def utc_text(value: dt.datetime) -> str:
    """2026-01-15T08:00:00Z (aware datetimes only)."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=1)
def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_start_text(day: dt.date) -> str:
    """The first second of a local calendar day, with its UTC offset."""
    return dt.datetime.combine(day, dt.time(0, 0, 0), tzinfo=_local_zone()).isoformat()


def day_end_text(day: dt.date) -> str:
    """The last second of a local calendar day (a due date or a term's end), with its offset."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=_local_zone()).isoformat()


def dumps(value: Any) -> str:
    """Compact JSON; the exact encoder only when an amount did not fit a double."""
    try:
        return _compact(value)
    except TypeError:
        return _exact_text(value)


def _exact_text(value: Any) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("Amounts must be finite")
        return format(value, "f")
    if isinstance(value, dict):
        items = (f"{_compact(str(k))}:{_exact_text(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_exact_text(v) for v in value) + "]"
    return _compact(value)
