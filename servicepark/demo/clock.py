"""The demo's past, replayed on its own dates.

The demo tells stories that took months (a call open for a month, an objection period of a
week, contracts paid by milestone). Rather than back-dating rows, it replays them through the
same services, with Django's clock set to the day each step happened, in order. Only the demo
loader uses this; nothing in the product can move the clock.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import timezone

BEIJING = ZoneInfo("Asia/Shanghai")
_real_now = timezone.now


class Clock:
    """Django's clock during the replay. Stories that run beside others (the oversight year
    beside the procurement year) put their steps on the agenda; moving the clock runs every
    step that falls due on the way, on its own date."""

    def __init__(self) -> None:
        self._offset = dt.timedelta(0)
        self._started = False
        self._agenda: list[tuple[dt.datetime, int, Callable[[], None]]] = []
        self._seq = itertools.count()

    def now(self) -> dt.datetime:
        return _real_now() + self._offset

    def _instant(self, day: str, time: str) -> dt.datetime:
        return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)

    def _move(self, target: dt.datetime) -> None:
        if self._started and target < self.now() - dt.timedelta(seconds=1):
            raise ValueError(f"the demo clock only moves forward ({target} is in its past)")
        if target > _real_now():
            raise ValueError(f"the demo replays the past only ({target} is in the future)")
        self._offset = target - _real_now()
        self._started = True

    def at(self, day: str, time: str = "09:00") -> None:
        """Move to a Beijing date and time (forward only, so events stay in order), running
        the agenda's steps due before it."""
        self._run_due(self._instant(day, time))
        self._move(self._instant(day, time))

    def schedule(self, day: str, time: str, step: Callable[[], None]) -> None:
        """Run `step` when the clock passes this Beijing date and time."""
        heapq.heappush(self._agenda, (self._instant(day, time), next(self._seq), step))

    def _run_due(self, until: dt.datetime) -> None:
        while self._agenda and self._agenda[0][0] <= until:
            when, _seq, step = heapq.heappop(self._agenda)
            self._move(max(when, self.now()))
            step()

    def finish(self) -> None:
        """Run what is left on the agenda (up to now)."""
        self._run_due(_real_now())


@contextmanager
def replay() -> Iterator[Clock]:
    clock = Clock()
    with mock.patch("django.utils.timezone.now", clock.now):
        yield clock
