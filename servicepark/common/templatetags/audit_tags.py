"""Readable names for audit actions (the stored action code stays the record)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTION_LABELS = {
    "organization.create": _("registered in the system"),
    "organization.update": _("particulars changed"),
    "organization.import": _("imported in bulk"),
    "organization.register": _("registered"),
    "organization.file": _("filed on record"),
    "organization.suspend": _("suspended"),
    "organization.reinstate": _("reinstated"),
    "organization.deregister": _("deregistered"),
    "organization.revoke": _("registration revoked"),
    "change_request.create": _("change requested"),
    "change_request.approved": _("change approved"),
    "change_request.rejected": _("change rejected"),
    "membership.create": _("person added"),
    "membership.end": _("role ended"),
    "user.create": _("account created"),
    "grant.add": _("role granted"),
    "api_token.issue": _("API token issued"),
    "import.start": _("import started"),
    "import.finish": _("import finished"),
    "personal.reveal": _("personal data shown"),
    "personal.rekey": _("personal data re-encrypted"),
    "retention.purge": _("erased after the retention period"),
}


@register.filter
def audit_action(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
