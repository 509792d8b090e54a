"""The incubator over HTTP: bookable spaces and bookings."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["incubator"])
