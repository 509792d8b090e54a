"""The one place that narrows a queryset to what a user may see.

Models that belong to a place declare `SCOPE = ScopePaths(...)`: the lookup paths to their
division code, their organization and (optionally) that organization's umbrella. Selectors
call `scope_for(user, queryset, roles=…)`; views and the API never filter by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from servicepark.accounts.models import Grant
from servicepark.accounts.roles import DIVISION_ROLES, Role
from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.geo.codes import is_within, significant_prefix

M = TypeVar("M", bound=Model)


def user_grants(user: Any) -> list[Grant]:
    """The user's grants, read once per user object (i.e. once per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if getattr(user, "pk", None) is None:  # system actors hold no grants (and need none)
        return []
    cached: list[Grant] | None = getattr(user, "_grants_cache", None)
    if cached is None:
        cached = list(Grant.objects.filter(user=user).select_related("organization"))
        user._grants_cache = cached
    return cached


def user_roles(user: Any) -> set[str]:
    return {g.role for g in user_grants(user)}


def user_covers_division(user: Any, code: str | None, roles: Iterable[str]) -> bool:
    """Does the user hold one of `roles` over a jurisdiction that contains `code`?"""
    if getattr(user, "is_superuser", False):
        return True
    if not code:
        return False
    wanted = set(roles)
    return any(
        g.role in wanted and g.division_id and is_within(code, g.division_id)
        for g in user_grants(user)
    )


def user_organization_ids(user: Any, roles: Iterable[str]) -> set[int]:
    wanted = set(roles)
    return {g.organization_id for g in user_grants(user) if g.role in wanted and g.organization_id}


def user_acts_for(user: Any, organization_id: int | None, roles: Iterable[str]) -> bool:
    """Does the user hold one of `roles` for this organization? Superusers act for every
    organization, as `user_covers_division` lets them act in every division."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(organization_id) and organization_id in user_organization_ids(user, roles)


def user_division_codes(user: Any, roles: Iterable[str]) -> list[str]:
    wanted = set(roles)
    return [g.division_id for g in user_grants(user) if g.role in wanted and g.division_id]


def scope_q(
    user: Any, model: type[Model], *, roles: Iterable[str], paths: ScopePaths | None = None
) -> Q | None:
    """The condition behind `scope_for`; None means "everything" (superusers). `paths`
    overrides the model's SCOPE, for roles that reach rows another way (a purchaser reaches
    applications through the call, not through the applicant's division)."""
    if getattr(user, "is_superuser", False):
        return None
    paths = paths or model.SCOPE  # type: ignore[attr-defined]
    wanted = set(roles)
    condition = Q(pk__in=[])
    for grant in user_grants(user):
        if grant.role not in wanted:
            continue
        if grant.role in DIVISION_ROLES and grant.division_id:
            prefix = significant_prefix(grant.division_id)
            condition |= Q(**{f"{paths.division}__startswith": prefix})
        elif grant.organization_id:
            condition |= Q(**{paths.organization: grant.organization_id})
            if grant.role == Role.ASSOCIATION_STAFF and paths.umbrella:
                condition |= Q(**{paths.umbrella: grant.organization_id})
    return condition


def scope_for(user: Any, queryset: QuerySet[M], *, roles: Iterable[str]) -> QuerySet[M]:
    """Narrow `queryset` to rows inside the jurisdictions or organizations where `user`
    holds one of `roles`. Superusers see everything; anyone else with no grant sees nothing."""
    condition = scope_q(user, queryset.model, roles=roles)
    return queryset if condition is None else queryset.filter(condition)
