"""The early-warning rules, one module each; importing this package registers them all."""

from servicepark.oversight.rules import (  # noqa: F401 - imported to register
    annual_report_overdue,
    converted_commercial,
    credit_listed,
    government_dependency,
    grade_expiring,
    legal_rep_changes,
    low_evaluation,
    milestones_late,
    overstaying,
    rectification_overdue,
    related_parties,
    reports_overdue,
    revenue_jump,
    single_purchaser,
    unreachable,
    young_org_large_contract,
)
from servicepark.oversight.rules.base import RULES, Rule

__all__ = ["RULES", "Rule"]
