"""Reads of the audit trail, scoped like everything else."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import scope_for
from servicepark.common.models import AuditEvent


def audit_events_for_object(*, object_type: str, object_id: Any) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id))
        .select_related("actor")
        .order_by("id")
    )


def audit_event_list(*, user: Any, action: str = "") -> QuerySet[AuditEvent]:
    """Events about objects inside the user's jurisdiction, newest first."""
    qs = scope_for(user, AuditEvent.objects.all(), roles=[Role.OFFICIAL, Role.AUDITOR])
    if action:
        qs = qs.filter(action__startswith=action)
    return qs.select_related("actor").order_by("-id")
