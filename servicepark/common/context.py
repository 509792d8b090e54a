"""Navigation facts for the page header (a fixed, small number of queries)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from servicepark.common.permissions import has_permission


def _nav(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    from servicepark.accounts.roles import Role
    from servicepark.accounts.scoping import user_grants
    from servicepark.registry.selectors import organizations_administered

    roles = {g.role for g in user_grants(user)}
    return {
        "can_review": Role.EXPERT in roles,
        "has_applications": bool(roles - {Role.EXPERT}) or user.is_superuser,
        "can_import": has_permission("organization.import", user)[0],
        "can_decide": has_permission("change_request.review", user)[0],
        "can_audit": has_permission("audit.view", user)[0],
        "can_oversee": user.is_superuser
        or bool(roles & {Role.OFFICIAL, Role.AUDITOR, Role.CENTER_STAFF}),
        "my_orgs": list(organizations_administered(user).only("id", "name")[:3]),
    }


def nav(request: HttpRequest) -> dict[str, Any]:
    return {"nav": SimpleLazyObject(lambda: _nav(request))}
