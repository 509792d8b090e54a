"""The roles a user can hold, and which kind of scope each is granted over."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICIAL = "official", _("civil-affairs official")
    PURCHASER = "purchaser", _("purchaser")
    CENTER_STAFF = "center_staff", _("center staff")
    EXPERT = "expert", _("expert")
    ORG_ADMIN = "org_admin", _("organization admin")
    ORG_MEMBER = "org_member", _("organization member")
    ASSOCIATION_STAFF = "association_staff", _("association staff")
    AUDITOR = "auditor", _("auditor (read-only)")


# Granted over a jurisdiction (a division code and everything inside it).
DIVISION_ROLES = frozenset(
    {Role.OFFICIAL, Role.PURCHASER, Role.CENTER_STAFF, Role.EXPERT, Role.AUDITOR}
)
# Granted over one organization (and, for association staff, the organizations attached to it).
ORGANIZATION_ROLES = frozenset({Role.ORG_ADMIN, Role.ORG_MEMBER, Role.ASSOCIATION_STAFF})

# Who may read non-public registry data inside their jurisdiction.
REGISTRY_READERS = frozenset({Role.OFFICIAL, Role.AUDITOR, Role.CENTER_STAFF, Role.PURCHASER})
