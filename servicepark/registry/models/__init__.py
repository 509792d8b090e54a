from servicepark.registry.models.change_request import ChangeRequest
from servicepark.registry.models.choices import Field, OrgType, RegistrationKind, Status
from servicepark.registry.models.import_job import ImportJob
from servicepark.registry.models.organization import Organization
from servicepark.registry.models.people import AssociationMember, Membership, Person

__all__ = [
    "AssociationMember",
    "ChangeRequest",
    "Field",
    "ImportJob",
    "Membership",
    "OrgType",
    "Organization",
    "Person",
    "RegistrationKind",
    "Status",
]
