"""Revealing an individual's phone or ID number: allowed only to roles that need it, always
with a stated reason, always audited. Pages show masks (servicepark/common/personal.py)
and offer a reveal button to those allowed; nothing else ever prints the plain value.

Each app declares its revealable fields with `revealable(Model, fields, permission)`, where
`permission` names a permission rule checked on the object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.permissions import has_permission
from servicepark.common.personal import EncryptedTextField


@dataclass(frozen=True)
class Revealable:
    model: type[models.Model]
    fields: tuple[str, ...]
    permission: str


REVEALABLE: dict[str, Revealable] = {}


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def revealable(model: type[models.Model], fields: tuple[str, ...], permission: str) -> None:
    for name in fields:
        if not isinstance(model._meta.get_field(name), EncryptedTextField):
            raise TypeError(f"{label_of(model)}.{name} is not an encrypted field")
    REVEALABLE[label_of(model)] = Revealable(model, fields, permission)


def spec_for(kind: str, field: str) -> Revealable | None:
    spec = REVEALABLE.get(kind)
    return spec if spec and field in spec.fields else None


def can_reveal(user: Any, obj: models.Model, field: str) -> bool:
    spec = spec_for(label_of(type(obj)), field)
    return spec is not None and has_permission(spec.permission, user, obj)[0]


def masked(obj: models.Model, field: str) -> str:
    model_field = obj._meta.get_field(field)
    assert isinstance(model_field, EncryptedTextField)
    return model_field.mask(getattr(obj, field))


def reveal(*, actor: Any, kind: str, pk: Any, field: str, reason: str) -> str:
    """The plain value, after the permission check, with an audit event that records who
    looked at which field of which record and why — never the value itself."""
    spec = spec_for(kind, field)
    if spec is None:
        raise PermissionDenied(_("This field cannot be revealed."))
    reason = (reason or "").strip()
    if len(reason) < 2 or len(reason) > 200 or "\x00" in reason:
        raise ValidationError(_("State why you need to see it (2 to 200 characters)."))
    obj = spec.model._default_manager.filter(pk=pk).first() if str(pk).isdigit() else None
    if obj is None:
        raise PermissionDenied(_("No such record."))
    allowed, why = has_permission(spec.permission, actor, obj)  # refuses anonymous users too
    if not allowed:
        raise PermissionDenied(why)
    value = str(getattr(obj, field))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="personal.reveal",
            obj=obj,
            after={"field": field, "reason": reason, "shown": masked(obj, field)},
        )
    return value
