"""Every oversight record belongs to one organization and is scoped like it."""

from __future__ import annotations

from servicepark.accounts.scoping_paths import ScopePaths

ORG_SCOPE = ScopePaths(
    division="organization__division__code",
    organization="organization_id",
    umbrella="organization__umbrella_id",
)
