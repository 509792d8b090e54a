from servicepark.oversight.models.annual import AnnualReport
from servicepark.oversight.models.credit import (
    CancellationProposal,
    CreditList,
    CreditListing,
    RegisteredLetter,
    Sanction,
)
from servicepark.oversight.models.grades import GradeAssessment, GradeScore
from servicepark.oversight.models.inspection import Inspection, Rectification
from servicepark.oversight.models.risk import Alert, OversightRun, RiskScore, Severity, Signal

__all__ = [
    "Alert",
    "AnnualReport",
    "CancellationProposal",
    "CreditList",
    "CreditListing",
    "GradeAssessment",
    "GradeScore",
    "Inspection",
    "OversightRun",
    "Rectification",
    "RegisteredLetter",
    "RiskScore",
    "Sanction",
    "Severity",
    "Signal",
]
