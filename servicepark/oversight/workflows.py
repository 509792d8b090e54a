"""Oversight workflows as data: alerts and rectification orders."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from servicepark.common.workflows import Transition, Workflow
from servicepark.oversight.models import Alert, Rectification

A = Alert.State
ALERT = Workflow(
    name="alert",
    field="state",
    states=dict(A.choices),
    transitions=(
        Transition(
            "acknowledge", _("acknowledge"), frozenset({A.OPEN}), A.ACKNOWLEDGED, "oversight.manage"
        ),
        Transition(
            "investigate",
            _("investigate"),
            frozenset({A.OPEN, A.ACKNOWLEDGED}),
            A.INVESTIGATING,
            "oversight.manage",
        ),
        Transition(
            "close",
            _("close with a note"),
            frozenset({A.OPEN, A.ACKNOWLEDGED, A.INVESTIGATING}),
            A.CLOSED,
            "oversight.manage",
            needs_reason=True,
        ),
        Transition(
            "reopen",
            _("reopen"),
            frozenset({A.CLOSED}),
            A.INVESTIGATING,
            "oversight.manage",
            needs_reason=True,
        ),
    ),
)

R = Rectification.State
RECTIFICATION = Workflow(
    name="rectification",
    field="state",
    states=dict(R.choices),
    transitions=(
        Transition(
            "answer",
            _("report what was done"),
            frozenset({R.ORDERED}),
            R.SUBMITTED,
            "oversight.file",
        ),
        Transition(
            "verify",
            _("verify"),
            frozenset({R.SUBMITTED}),
            R.VERIFIED,
            "oversight.manage",
            needs_reason=True,
        ),
        Transition(
            "return",
            _("not enough: return"),
            frozenset({R.SUBMITTED}),
            R.ORDERED,
            "oversight.manage",
            needs_reason=True,
        ),
    ),
)
