"""Officials handle alerts: acknowledge, investigate, close with a note (a workflow)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from servicepark.common.workflows import workflow_transition
from servicepark.oversight.models import Alert
from servicepark.oversight.services.common import text
from servicepark.oversight.workflows import ALERT


def alert_transition(*, actor: Any, alert: Alert, action: str, note: str = "") -> Alert:
    transition = ALERT.get(action) if action in {t.action for t in ALERT.transitions} else None
    if transition is not None and transition.needs_reason:
        from django.utils.translation import gettext as _

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
