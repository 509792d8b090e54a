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
    from servicepark.registry.selectors import organizations_administered

    return {
        "can_import": has_permission("organization.import", user)[0],
        "can_decide": has_permission("change_request.review", user)[0],
        "can_audit": has_permission("audit.view", user)[0],
        "my_orgs": list(organizations_administered(user).only("id", "name")[:3]),
    }


def nav(request: HttpRequest) -> dict[str, Any]:
    return {"nav": SimpleLazyObject(lambda: _nav(request))}
