"""Permission rules about accounts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_covers_division, user_roles
from servicepark.common.permissions import Decision, rule


@rule("audit.view")
def can_view_audit(user: Any, obj: Any) -> Decision:
    """Officials and auditors read the trail of objects inside their jurisdiction."""
    code = getattr(obj, "division_id", None) if obj is not None else None
    if obj is None and (user.is_superuser or user_roles(user) & {Role.OFFICIAL, Role.AUDITOR}):
        return True, ""
    if user_covers_division(user, code, [Role.OFFICIAL, Role.AUDITOR]):
        return True, ""
    return False, _("Only officials and auditors of this jurisdiction may read the audit trail.")
