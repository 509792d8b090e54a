"""Declaration of where a model keeps its division and organization (see accounts.scoping)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScopePaths:
    division: str
    organization: str
    umbrella: str | None = None

    def prefixed(self, prefix: str) -> ScopePaths:
        """The same paths seen from a model that points at this one through `prefix`."""
        return ScopePaths(
            division=prefix + self.division,
            organization=prefix + self.organization,
            umbrella=prefix + self.umbrella if self.umbrella else None,
        )
