from servicepark.incubator.models.capacity import (
    Mentorship,
    Registration,
    ServiceRequest,
    TrainingSession,
)
from servicepark.incubator.models.community import (
    AdvisoryAdvice,
    AdvisoryMember,
    CoordinationEvent,
)
from servicepark.incubator.models.park import Booking, Floor, Park, Space
from servicepark.incubator.models.residency import Assessment, IntakeRound, Residency

__all__ = [
    "AdvisoryAdvice",
    "AdvisoryMember",
    "CoordinationEvent",
    "Assessment",
    "Booking",
    "Floor",
    "IntakeRound",
    "Mentorship",
    "Park",
    "Registration",
    "Residency",
    "ServiceRequest",
    "Space",
    "TrainingSession",
]
