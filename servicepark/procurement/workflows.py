"""The lifecycle of a contract, as data (signing is its own service: both parties sign)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from servicepark.common.workflows import Transition, Workflow
from servicepark.procurement.models import Contract

S = Contract.State


def _all_milestones_paid(contract: Any) -> str | None:
    if contract.milestones.exclude(state="paid").exists():
        return gettext("Pay or settle every milestone before completing the contract.")
    return None


CONTRACT_LIFECYCLE = Workflow(
    name="contract",
    field="state",
    states=dict(S.choices),
    transitions=(
        Transition(
            "activate", _("start the service"), frozenset({S.SIGNED}), S.ACTIVE, "contract.manage"
        ),
        Transition(
            "suspend",
            _("suspend"),
            frozenset({S.ACTIVE}),
            S.SUSPENDED,
            "contract.manage",
            needs_reason=True,
        ),
        Transition("resume", _("resume"), frozenset({S.SUSPENDED}), S.ACTIVE, "contract.manage"),
        Transition(
            "complete",
            _("complete"),
            frozenset({S.ACTIVE}),
            S.COMPLETED,
            "contract.manage",
            guard=_all_milestones_paid,
        ),
        Transition(
            "terminate",
            _("terminate"),
            frozenset({S.SIGNED, S.ACTIVE, S.SUSPENDED}),
            S.TERMINATED,
            "contract.manage",
            needs_reason=True,
        ),
    ),
)
