"""Permission rules of the registry: small pure functions, each tested allowed and denied."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_acts_for, user_covers_division, user_roles
from servicepark.common.permissions import Decision, rule

OFFICIAL = [Role.OFFICIAL]


@rule("organization.transition")
def can_transition_organization(user: Any, org: Any) -> Decision:
    """Registration status changes are the registrar's: an official over the org's division."""
    if user_covers_division(user, org.division_id, OFFICIAL):
        return True, ""
    return False, _("Only a civil-affairs official of this jurisdiction may change the status.")


@rule("organization.create")
def can_create_organization(user: Any, org: Any) -> Decision:
    """`org` may be None (may the user create any?) or a division code (create here?)."""
    if org is None:
        if user.is_superuser or Role.OFFICIAL in user_roles(user):
            return True, ""
    elif user_covers_division(user, org, OFFICIAL):
        return True, ""
    return False, _("Only a civil-affairs official may register organizations in this division.")


@rule("organization.edit_profile")
def can_edit_organization_profile(user: Any, org: Any) -> Decision:
    if user_acts_for(user, org.id, [Role.ORG_ADMIN]):
        return True, ""
    if user_covers_division(user, org.division_id, OFFICIAL):
        return True, ""
    return False, _("Only the organization's admins or an official may edit this profile.")


@rule("organization.decide_change")
def can_decide_change_request(user: Any, org: Any) -> Decision:
    if user_covers_division(user, org.division_id, OFFICIAL):
        return True, ""
    return False, _("Only a civil-affairs official of this jurisdiction may decide on changes.")


@rule("change_request.review")
def can_review_change_requests(user: Any, obj: Any) -> Decision:
    """Who gets the change-request queue: officials (deciding is checked per organization)."""
    if user.is_superuser or Role.OFFICIAL in user_roles(user):
        return True, ""
    return False, _("Only civil-affairs officials review change requests.")


@rule("organization.import")
def can_import_organizations(user: Any, obj: Any) -> Decision:
    if user.is_superuser or Role.OFFICIAL in user_roles(user):
        return True, ""
    return False, _("Only civil-affairs officials may import organizations.")


@rule("organization.export")
def can_export_organizations(user: Any, obj: Any) -> Decision:
    if user.is_superuser or user_roles(user) & {Role.OFFICIAL, Role.AUDITOR}:
        return True, ""
    return False, _("Only civil-affairs officials and auditors may export the directory.")


@rule("association.members")
def can_manage_association_members(user: Any, association: Any) -> Decision:
    """An association's own staff keep its member list; officials over its division too."""
    if user_acts_for(user, association.id, [Role.ASSOCIATION_STAFF]):
        return True, ""
    if user_covers_division(user, association.division_id, OFFICIAL):
        return True, ""
    return False, _("Only the association's staff or an official may change its members.")


@rule("person.reveal")
def can_reveal_person(user: Any, person: Any) -> Decision:
    """A person's phone: those who may edit the profile of an organization where the person
    holds or held a role (its admins, officials of its jurisdiction)."""
    for membership in person.memberships.all():
        if can_edit_organization_profile(user, membership.organization)[0]:
            return True, ""
    return False, _("Only the admins of the person's organizations or an official may see this.")


def _declare_revealable() -> None:
    from servicepark.common.reveal import revealable
    from servicepark.registry.models import Person

    revealable(Person, ("phone",), "person.reveal")


_declare_revealable()
