"""Fixed vocabularies of the registry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgType(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("social group")
    SOCIAL_SERVICE_AGENCY = "social_service_agency", _("social service agency")
    FOUNDATION = "foundation", _("foundation")
    OTHER = "other", _("other")


class RegistrationKind(models.TextChoices):
    REGISTERED = "registered", _("registered with a supervising unit")
    DIRECT = "direct", _("directly registered")
    FILED = "filed", _("filed on record")
    ATTACHED = "attached", _("attached to an umbrella")


LEGALLY_REGISTERED = frozenset({RegistrationKind.REGISTERED, RegistrationKind.DIRECT})


class Status(models.TextChoices):
    PREPARING = "preparing", _("preparing")
    REGISTERED = "registered", _("registered")
    FILED = "filed", _("filed")
    SUSPENDED = "suspended", _("suspended")
    DEREGISTERED = "deregistered", _("deregistered")
    REVOKED = "revoked", _("revoked")


class Field(models.TextChoices):
    """Fields of service. The order is fixed: an organization's fields are stored as a bitmask
    of these positions, so append new fields at the end and never reorder."""

    ELDERLY = "elderly", _("elderly")
    DISABILITY = "disability", _("disability")
    CHILDREN = "children", _("children")
    YOUTH = "youth", _("youth")
    WOMEN = "women", _("women")
    POVERTY = "poverty", _("poverty relief")
    ENVIRONMENT = "environment", _("environment")
    CULTURE = "culture", _("culture")
    COMMUNITY = "community", _("community")
    MEDICAL = "medical", _("medical assistance")
    DISASTER = "disaster", _("disaster relief")
    LEGAL = "legal", _("legal aid")
    EMPLOYMENT = "employment", _("employment")
    EDUCATION = "education", _("education")
    SOCIAL_WORK = "social_work", _("social work")
    OTHER = "other", _("other")


FIELD_BITS: dict[str, int] = {value: 1 << i for i, value in enumerate(Field.values)}


def fields_to_mask(codes: list[str] | set[str] | tuple[str, ...]) -> int:
    mask = 0
    for code in codes:
        mask |= FIELD_BITS[code]
    return mask


def mask_to_fields(mask: int) -> list[str]:
    return [code for code, bit in FIELD_BITS.items() if mask & bit]
