"""The audit trail in the reader's language (servicepark.common.audit_display)."""

from __future__ import annotations

from typing import Any

from django import template

from servicepark.common import audit_display

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    return audit_display.action_label(code)


@register.filter
def audit_actor(label: str) -> str:
    return audit_display.actor_label(label)


@register.filter
def audit_object(event: Any) -> str:
    return audit_display.object_label(event.object_type, event.object_id)


@register.filter
def audit_changes(event: Any, limit: int = 8) -> list[audit_display.Change]:
    return audit_display.changes(event.object_type, event.patch, int(limit))
