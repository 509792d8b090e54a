"""Officials handle alerts: acknowledge, investigate, close with a note (a workflow)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from servicepark.common.workflows import workflow_transition
from servicepark.oversight.models import Alert
from servicepark.oversight.services.common import text
from servicepark.oversight.workflows import ALERT

NEEDS_NOTE = frozenset(t.action for t in ALERT.transitions if t.needs_reason)


def alert_transition(*, actor: Any, alert: Alert, action: str, note: str = "") -> Alert:
    """Closing and reopening need a note (what was found and done); the workflow checks the
    rest: the state, the official's jurisdiction."""
    if action in NEEDS_NOTE:
        note = text(note, _("a note on what was found and done"))
    with transaction.atomic():
        locked = workflow_transition(
            workflow=ALERT, obj=alert, action=action, actor=actor, reason=note
        )
        assert isinstance(locked, Alert)
        locked.handled_by = actor if getattr(actor, "pk", None) else None
        if action == "close":
            locked.note = note
        locked.save(update_fields=["handled_by", "note", "updated_at"])
    return locked
