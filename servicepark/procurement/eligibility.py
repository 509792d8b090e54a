"""Automatic eligibility screening of an organization for a call, with reasons.

Rules come from the call (registration kinds, years since founding, evaluation grade, area).
Checks that belong to other parts of the platform are hooks: `CREDIT_LIST_CHECKS` (the
oversight part registers the abnormal-activity / serious-dishonesty list check there) and
`GRADE_LOOKUP` (the evaluation-grade register).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.geo.codes import is_within
from servicepark.registry.models import Organization, Status

# Each returns a reason to refuse, or None. Filled by the oversight part.
CREDIT_LIST_CHECKS: list[Callable[[Organization], str | None]] = []
# Returns the organization's valid grade ("1A".."5A") or None. Filled by the grades register.
GRADE_LOOKUP: list[Callable[[Organization], str | None]] = []
GRADES = ("1A", "2A", "3A", "4A", "5A")


def current_grade(organization: Organization) -> str | None:
    """The organization's valid evaluation grade, from the grades register (None without)."""
    return next((g for g in (lookup(organization) for lookup in GRADE_LOOKUP) if g), None)


def credit_problems(organization: Organization) -> list[str]:
    """Why the credit lists bar the organization (empty when they do not)."""
    return [r for r in (check(organization) for check in CREDIT_LIST_CHECKS) if r]


def screen(call: Any, organization: Organization) -> list[str]:
    """Every reason this organization may not apply (empty when it may)."""
    rules = call.eligibility or {}
    reasons: list[str] = []
    if organization.status not in (Status.REGISTERED, Status.FILED):
        reasons.append(
            _("The organization is not in good standing (status: %(s)s).")
            % {"s": organization.get_status_display()}
        )
    kinds = rules.get("kinds") or []
    if kinds and organization.registration_kind not in kinds:
        reasons.append(
            _("This call is open to other registration kinds than “%(kind)s”.")
            % {"kind": organization.get_registration_kind_display()}
        )
    years = int(rules.get("min_years") or 0)
    if years:
        founded = organization.founded_on
        today = timezone.localdate()
        if founded is None:
            reasons.append(
                _("The founding date is not on record; the call requires %(n)d years.")
                % {"n": years}
            )
        else:
            age = (
                today.year
                - founded.year
                - ((today.month, today.day) < (founded.month, founded.day))
            )
            if age < years:
                reasons.append(
                    _("Founded %(age)d full years ago; the call requires %(n)d.")
                    % {"age": age, "n": years}
                )
    within = rules.get("within")
    if within and not is_within(organization.division_id, within):
        reasons.append(_("The organization is registered outside the area of this call."))
    grade_needed = rules.get("min_grade")
    if grade_needed:
        grade = current_grade(organization)
        if grade is None or GRADES.index(grade) < GRADES.index(grade_needed):
            reasons.append(
                _("The call requires an evaluation grade of %(g)s or above.") % {"g": grade_needed}
            )
    return reasons + credit_problems(organization)
