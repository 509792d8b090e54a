"""Permission rules of the incubator: small functions, each tested allowed and denied."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import (
    user_acts_for,
    user_covers_division,
    user_organization_ids,
)
from servicepark.common.permissions import Decision, rule


@rule("park.manage")
def can_manage_park(user: Any, park: Any) -> Decision:
    """The park's staff: service-center staff over a division containing the park's."""
    if user_covers_division(user, park.division_id, [Role.CENTER_STAFF]):
        return True, ""
    return False, _("Only the park's staff may do this.")


@rule("park.book")
def can_book_in_park(user: Any, park: Any) -> Decision:
    """Residents (admins and members of organizations residing in the park), the park's
    partner organizations, and its staff book rooms."""
    if can_manage_park(user, park)[0]:
        return True, ""
    from servicepark.incubator.models import Residency

    orgs = user_organization_ids(user, [Role.ORG_ADMIN, Role.ORG_MEMBER])
    if (
        orgs
        and Residency.objects.filter(
            park=park, organization_id__in=orgs, state__in=Residency.IN_PARK
        ).exists()
    ):
        return True, ""
    if orgs and park.partners.filter(pk__in=orgs).exists():
        return True, ""
    return False, _(
        "Only the park's residents, partner organizations and staff may book its rooms."
    )


@rule("residency.decide")
def can_decide_residency(user: Any, residency: Any) -> Decision:
    """Admission, extension, graduation and removal are the park staff's decisions."""
    return can_manage_park(user, residency.park)


@rule("park.intake_panel")
def is_on_intake_panel(user: Any, park: Any) -> Decision:
    """The intake panel: the park's staff and the experts over the park's area."""
    if can_manage_park(user, park)[0]:
        return True, ""
    if user_covers_division(user, park.division_id, [Role.EXPERT]):
        return True, ""
    return False, _("Only the intake panel scores applications.")


@rule("residency.score")
def can_score_residency(user: Any, residency: Any) -> Decision:
    """The intake panel scores a residency while it is an application (conflicts of interest
    are refused by residency_score); the park's staff may always open it."""
    if can_manage_park(user, residency.park)[0]:
        return True, ""
    if residency.state in ("applied", "shortlisted"):
        return is_on_intake_panel(user, residency.park)
    return False, _("Only the intake panel scores applications.")


@rule("residency.leave")
def can_leave_residency(user: Any, residency: Any) -> Decision:
    """The organization's admins may withdraw; so may the park's staff."""
    if user_acts_for(user, residency.organization_id, [Role.ORG_ADMIN]):
        return True, ""
    return can_manage_park(user, residency.park)


@rule("residency.apply")
def can_apply_for_residency(user: Any, organization: Any) -> Decision:
    if user_acts_for(user, organization.pk, [Role.ORG_ADMIN]):
        return True, ""
    return False, _("Only the organization's admins may apply for a residency.")


@rule("booking.cancel")
def can_cancel_booking(user: Any, booking: Any) -> Decision:
    """The person who booked, the admins of the organization it is for, or the park's staff."""
    if getattr(user, "pk", None) and booking.booked_by_id == user.pk:
        return True, ""
    if user_acts_for(user, booking.organization_id, [Role.ORG_ADMIN]):
        return True, ""
    if can_manage_park(user, booking.space.park)[0]:
        return True, ""
    return False, _(
        "Only the person who booked, their organization's admins and the park's staff "
        "may cancel a booking."
    )
