"""Open data over HTTP: OCDS releases."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["open data"])
