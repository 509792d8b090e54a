"""One lookup for every permission rule.

Rules are small pure functions `can_<verb>_<entity>(user, obj) -> (allowed, reason)` that
apps register under an action name; views, API and services ask `has_permission`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

Decision = tuple[bool, str]
Rule = Callable[[Any, Any], Decision]

_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if action in _RULES and _RULES[action] is not fn:
            raise RuntimeError(f"Permission rule {action!r} registered twice")
        _RULES[action] = fn
        return fn

    return register


def has_permission(action: str, user: Any, obj: Any = None) -> Decision:
    fn = _RULES.get(action)
    if fn is None:
        raise KeyError(f"No permission rule for {action!r}")
    if user is None or not getattr(user, "is_authenticated", False):
        return False, _("Please log in first.")
    if not user.is_active:
        return False, _("This account is disabled.")
    return fn(user, obj)


def require_permission(action: str, user: Any, obj: Any = None) -> None:
    allowed, reason = has_permission(action, user, obj)
    if not allowed:
        raise PermissionDenied(reason)
