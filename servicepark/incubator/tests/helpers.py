"""Shortcuts of the booking and form tests."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from django.db.models import Model

from servicepark.accounts.tests.factories import PASSWORD
from servicepark.common.models import AuditEvent
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


def posted(client: Any, url: str, data: dict[str, Any]) -> str:
    """POST as a browser does and follow the answer: never a server error, a 403 or a 404;
    the page shown, unescaped, to look for the message."""
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def stored(*models: type[Model]) -> list[list[dict[str, Any]]]:
    """Every row of `models` and every audit event: what a refused form must leave alone."""
    return [list(m.objects.order_by("pk").values()) for m in (*models, AuditEvent)]
