"""Permission rules of oversight: small functions, each tested allowed and denied.

Officials act on organizations inside their jurisdiction; organizations file and answer for
themselves; experts score grade assessments in their area; auditors and center staff read."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_acts_for, user_covers_division
from servicepark.common.permissions import Decision, rule

READERS = (Role.OFFICIAL, Role.AUDITOR, Role.CENTER_STAFF)


def _org(obj: Any) -> Any:
    return getattr(obj, "organization", obj)


@rule("oversight.view")
def can_view_oversight(user: Any, obj: Any) -> Decision:
    """An organization's warnings, scores and inspections: officials, auditors and center
    staff of its jurisdiction; those who file for it (its admins, its umbrella's staff); and
    experts of its area while a grade assessment of it is being scored."""
    org = _org(obj)
    if user_covers_division(user, org.division_id, READERS):
        return True, ""
    if user_acts_for(user, org.pk, [Role.ORG_ADMIN, Role.ASSOCIATION_STAFF]):
        return True, ""
    if can_file_for_organization(user, org)[0]:
        return True, ""
    if user_covers_division(user, org.division_id, [Role.EXPERT]):
        from servicepark.oversight.models import GradeAssessment

        if GradeAssessment.objects.filter(
            organization=org, state=GradeAssessment.State.APPLIED
        ).exists():
            return True, ""
    return False, _("Only officials of the organization's jurisdiction and its admins see this.")


@rule("oversight.manage")
def can_manage_oversight(user: Any, obj: Any) -> Decision:
    """Listing, sanctions, letters, inspections, rectification orders, verification, review
    of annual reports, alerts and cancellations: officials of the organization's jurisdiction."""
    org = _org(obj)
    if user_covers_division(user, org.division_id, [Role.OFFICIAL]):
        return True, ""
    return False, _("Only civil-affairs officials of the organization's jurisdiction may do this.")


@rule("oversight.file")
def can_file_for_organization(user: Any, obj: Any) -> Decision:
    """Annual reports, answers to rectification orders, grade applications and applications
    to leave a list: the organization's admins (and its umbrella's staff)."""
    org = _org(obj)
    if user_acts_for(user, org.pk, [Role.ORG_ADMIN]):
        return True, ""
    if org.umbrella_id and user_acts_for(user, org.umbrella_id, [Role.ASSOCIATION_STAFF]):
        return True, ""
    return False, _("Only the organization's admins may do this.")


@rule("grade.score")
def can_score_grade(user: Any, assessment: Any) -> Decision:
    """Experts of the organization's area score grade assessments (not their own)."""
    org = assessment.organization
    if user_acts_for(user, org.pk, [Role.ORG_ADMIN, Role.ORG_MEMBER]) and not user.is_superuser:
        return False, _("Experts may not score an organization they work for.")
    if user_covers_division(user, org.division_id, [Role.EXPERT]):
        return True, ""
    return False, _("Only experts of the organization's area may score its assessment.")
