"""Declaration of where a model keeps its division and organization (see accounts.scoping)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScopePaths:
    division: str
    organization: str
    umbrella: str | None = None
