"""Reading what people type: plain text, dates, 1–5 ratings, month arithmetic. Services and
views call these so that one rule gives one message everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def as_typed(value: Any) -> str:
    """What someone typed, to put back in the form after a refusal: as sent, less NUL bytes
    (browsers drop them from pages; a refused form is where they are most likely)."""
    return ("" if value is None else str(value)).replace("\x00", "")


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


def iso_date(
    value: Any, *, earliest: dt.date | None = None, latest: dt.date | None = None
) -> dt.date:
    """A YYYY-MM-DD date, within [earliest, latest] when given (a year typed as 1900 or 2999
    is a slip, not a plan)."""
    try:
        day = dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError(_("Give the date as YYYY-MM-DD.")) from None
    return date_within(day, earliest=earliest, latest=latest)


def date_within(
    day: dt.date, *, earliest: dt.date | None = None, latest: dt.date | None = None
) -> dt.date:
    """`day` itself when it lies in [earliest, latest]; else a message naming the bound."""
    return _within(day, earliest, latest, str(day))


def _within(value: Any, earliest: Any, latest: Any, shown: str) -> Any:
    if earliest is not None and value < earliest:
        raise ValidationError(
            _("%(value)s is too early: give a date from %(earliest)s on.")
            % {"value": shown, "earliest": _day(earliest)}
        )
    if latest is not None and value > latest:
        raise ValidationError(
            _("%(value)s is too late: give a date up to %(latest)s.")
            % {"value": shown, "latest": _day(latest)}
        )
    return value


def _day(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def local_datetime(
    value: Any, *, earliest: dt.datetime | None = None, latest: dt.datetime | None = None
) -> dt.datetime:
    """A date and time as typed in a form (`YYYY-MM-DDTHH:MM`, Beijing time), aware."""
    text = str(value or "").strip()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("Give the date and time as YYYY-MM-DD HH:MM.")) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return _within(moment, earliest, latest, text.replace("T", " "))


def whole_number(value: Any, *, minimum: int, maximum: int, message: str) -> int:
    """An integer in [minimum, maximum]; `message` for anything else (text, 1e309, -1…)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(message) from None
    if not minimum <= number <= maximum:
        raise ValidationError(message)
    return number


ID_MAX = 2**63 - 1  # the largest primary key a database column holds


def picked_id(value: Any) -> int | None:
    """The id of an object picked from a list, or None when nothing, or something else
    ("abc", "²", "99999999999999999999"…), was sent."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= ID_MAX else None


def choice_id(value: Any, message: str) -> int:
    """As picked_id, with `message` when no id was sent."""
    number = picked_id(value)
    if number is None:
        raise ValidationError(message)
    return number


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
