"""The demo's past, replayed on its own dates.

The demo tells stories that took months (a call open for a month, an objection period of a
week, contracts paid by milestone). Rather than back-dating rows, it replays them through the
same services, with Django's clock set to the day each step happened, in order. Only the demo
loader uses this; nothing in the product can move the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import timezone

BEIJING = ZoneInfo("Asia/Shanghai")
_real_now = timezone.now


class Clock:
    def __init__(self) -> None:
        self._offset = dt.timedelta(0)
        self._started = False

    def now(self) -> dt.datetime:
        return _real_now() + self._offset

    def at(self, day: str, time: str = "09:00") -> None:
        """Move to a Beijing date and time (forward only, so events stay in order)."""
        target = dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)
        if self._started and target < self.now() - dt.timedelta(seconds=1):
            raise ValueError(f"the demo clock only moves forward ({target} is in its past)")
        if target > _real_now():
            raise ValueError(f"the demo replays the past only ({target} is in the future)")
        self._offset = target - _real_now()
        self._started = True


@contextmanager
def replay() -> Iterator[Clock]:
    clock = Clock()
    with mock.patch("django.utils.timezone.now", clock.now):
        yield clock
