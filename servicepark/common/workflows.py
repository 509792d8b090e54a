"""Workflows as data, and the one service that moves an object from state to state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.permissions import require_permission

Guard = Callable[[Any], str | None]

REASON_MAX = 5000  # characters of a transition's reason, like every other free text

# Every workflow by name, as the audit trail records its transitions (`<name>.<action>`).
WORKFLOWS: dict[str, Workflow] = {}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    sources: frozenset[str]
    target: str | Callable[[Any], str]
    permission: str
    guard: Guard | None = None
    needs_reason: bool = False

    def target_for(self, obj: Any) -> str:
        target = self.target
        if isinstance(target, str):
            return target
        return target(obj)


@dataclass(frozen=True)
class Workflow:
    name: str
    field: str
    states: dict[str, str | Promise]
    transitions: tuple[Transition, ...] = dataclass_field(default_factory=tuple)

    def __post_init__(self) -> None:
        WORKFLOWS[self.name] = self

    def get(self, action: str) -> Transition:
        for t in self.transitions:
            if t.action == action:
                return t
        raise KeyError(action)

    def available(self, obj: Any) -> list[Transition]:
        state = getattr(obj, self.field)
        return [t for t in self.transitions if state in t.sources]


def workflow_transition(
    *, workflow: Workflow, obj: models.Model, action: str, actor: Any, reason: str = ""
) -> models.Model:
    """Apply `action` to `obj` if the table allows it from its current state, the actor's
    permission rule agrees and the guard passes; write the state and an audit event atomically.
    """
    try:
        transition = workflow.get(action)
    except KeyError:
        raise ValidationError(_("Unknown action.")) from None
    reason = (reason or "").strip()
    if "\x00" in reason:
        raise ValidationError(_("The reason contains a character that cannot be stored."))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("Keep the reason to at most %(n)d characters.") % {"n": REASON_MAX})
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        current = getattr(locked, workflow.field)
        if current not in transition.sources:
            raise ValidationError(
                _("“%(action)s” is not possible while the state is “%(state)s”.")
                % {"action": transition.label, "state": workflow.states.get(current, current)}
            )
        require_permission(transition.permission, actor, locked)
        if transition.needs_reason and not reason:
            raise ValidationError(_("Please give a reason."))
        if transition.guard is not None:
            problem = transition.guard(locked)
            if problem:
                raise ValidationError(problem)
        target = transition.target_for(locked)
        setattr(locked, workflow.field, target)
        locked.save(update_fields=[workflow.field, "updated_at"])
        audit_record(
            actor=actor,
            action=f"{workflow.name}.{action}",
            obj=locked,
            before={workflow.field: current},
            after={workflow.field: target},
            context={"reason": reason} if reason else None,
        )
    setattr(obj, workflow.field, target)
    return locked
