from servicepark.procurement.models.application import (
    Application,
    ApplicationVersion,
    Attachment,
    Screening,
)
from servicepark.procurement.models.call import RESTRICTED_METHODS, Call, Method
from servicepark.procurement.models.catalogue import Catalogue, CatalogueEntry
from servicepark.procurement.models.decision import Award, Decision, Objection, Vote
from servicepark.procurement.models.jury import Assignment, ExpertProfile, ExpertTie, Recusal
from servicepark.procurement.models.purchaser import Purchaser

__all__ = [
    "RESTRICTED_METHODS",
    "Application",
    "ApplicationVersion",
    "Assignment",
    "Attachment",
    "Award",
    "Call",
    "Catalogue",
    "CatalogueEntry",
    "Decision",
    "ExpertProfile",
    "ExpertTie",
    "Method",
    "Objection",
    "Purchaser",
    "Recusal",
    "Screening",
    "Vote",
]
