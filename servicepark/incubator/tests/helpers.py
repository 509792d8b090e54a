"""Shortcuts of the booking tests."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from servicepark.accounts.tests.factories import PASSWORD
from servicepark.incubator.models import Booking, Space
from servicepark.incubator.services.bookings import booking_create


def at(day: dt.datetime, hour: float) -> dt.datetime:
    return day + dt.timedelta(hours=hour)


def book(
    actor: Any, space: Space, day: dt.datetime, start: float, end: float, **kw: Any
) -> Booking:
    """Book `space` from `start` to `end` o'clock of `day` for 5 people, unless told otherwise."""
    return booking_create(
        actor=actor,
        space=space,
        start=at(day, start),
        end=at(day, end),
        title=kw.pop("title", "项目例会"),
        attendees=kw.pop("attendees", 5),
        **kw,
    )


def token(client: Any, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": PASSWORD}),
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}
