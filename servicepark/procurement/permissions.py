"""Permission rules of procurement: small pure functions, each tested allowed and denied."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_covers_division
from servicepark.common.permissions import Decision, rule


@rule("purchaser.create")
def can_create_purchaser(user: Any, division_code: Any) -> Decision:
    """Civil affairs keeps the list of purchasing bodies in its jurisdiction."""
    if user_covers_division(user, division_code, [Role.OFFICIAL]):
        return True, ""
    return False, _("Only a civil-affairs official of this jurisdiction may add purchasers.")


@rule("catalogue.edit")
def can_edit_catalogue(user: Any, purchaser: Any) -> Decision:
    """A purchaser's staff (purchaser role over its division) keep its catalogue."""
    if user_covers_division(user, purchaser.division_id, [Role.PURCHASER]):
        return True, ""
    return False, _("Only the purchaser's own staff may edit its catalogue.")


@rule("application.edit")
def can_edit_application(user: Any, application: Any) -> Decision:
    """The organization's admins, or the staff of the association that applies for it."""
    from servicepark.accounts.scoping import user_organization_ids

    if application.organization_id in user_organization_ids(user, [Role.ORG_ADMIN]):
        return True, ""
    if application.applicant_id in user_organization_ids(user, [Role.ASSOCIATION_STAFF]):
        return True, ""
    return False, _("Only the applying organization may change this application.")


@rule("call.manage")
def can_manage_call(user: Any, call: Any) -> Decision:
    """The purchaser's staff run their calls: screening, juries, decisions."""
    return can_edit_catalogue(user, call.purchaser)
