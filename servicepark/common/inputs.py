"""Reading what people type: plain text, dates, 1–5 ratings, month arithmetic. Services and
views call these so that one rule gives one message everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def plain_text(
    value: Any, *, limit: int, missing: str, too_long: str | None = None, required: bool = True
) -> str:
    """Stripped text of at most `limit` characters with no NUL; `missing` when it is required
    and empty, `too_long` (or `missing`) when it is too long or not storable."""
    text = ("" if value is None else str(value)).strip()
    if required and not text:
        raise ValidationError(missing)
    if len(text) > limit or "\x00" in text:
        raise ValidationError(too_long or missing)
    return text


def iso_date(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        raise ValidationError(_("Give the date as YYYY-MM-DD.")) from None


def rating(value: Any) -> int:
    """A satisfaction score from 1 to 5."""
    try:
        score = int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(float("inf"))
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError(_("Choose from 1 (very unsatisfied) to 5 (very satisfied)."))
    return score


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    target = dt.date(day.year + year, month + 1, 1)
    following = dt.date(target.year + (target.month == 12), target.month % 12 + 1, 1)
    return target.replace(day=min(day.day, (following - target).days))
