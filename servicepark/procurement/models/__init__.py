from servicepark.procurement.models.aftercare import (
    AssociationFinance,
    Evaluation,
    ExpenseLine,
    Report,
    ServiceRecord,
    SupportRequest,
    Survey,
    SurveyResponse,
)
from servicepark.procurement.models.application import (
    Application,
    ApplicationVersion,
    Attachment,
    Screening,
)
from servicepark.procurement.models.call import RESTRICTED_METHODS, Call, Method
from servicepark.procurement.models.catalogue import Catalogue, CatalogueEntry
from servicepark.procurement.models.contract import (
    Contract,
    Milestone,
    Payment,
    Voucher,
    VoucherScheme,
)
from servicepark.procurement.models.decision import Award, Decision, Objection, Vote
from servicepark.procurement.models.jury import Assignment, ExpertProfile, ExpertTie, Recusal
from servicepark.procurement.models.purchaser import Purchaser

__all__ = [
    "RESTRICTED_METHODS",
    "Application",
    "ApplicationVersion",
    "Assignment",
    "AssociationFinance",
    "Attachment",
    "Award",
    "Call",
    "Catalogue",
    "CatalogueEntry",
    "Contract",
    "Decision",
    "Evaluation",
    "ExpenseLine",
    "ExpertProfile",
    "ExpertTie",
    "Method",
    "Milestone",
    "Objection",
    "Payment",
    "Purchaser",
    "Recusal",
    "Report",
    "Screening",
    "ServiceRecord",
    "SupportRequest",
    "Survey",
    "SurveyResponse",
    "Vote",
    "Voucher",
    "VoucherScheme",
]
