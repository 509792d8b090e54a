"""The audit trail as people read it: the stored codes, paths and values stay the record, and
these functions name them in the reader's language (actions, actors, objects, and each change
with its field's label and the value's display form, times in Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from servicepark.common.audit_labels import ACTION_LABELS, SYSTEM_ACTORS
from servicepark.common.workflows import WORKFLOWS

VALUE_MAX = 80  # characters of a value shown; the record keeps all of it


def action_label(code: str) -> str:
    """The action's name: from the labels, or from the workflow transition it records."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    autodiscover_modules("workflows")  # each app's workflows.py, once
    name, _dot, action = code.partition(".")
    workflow = WORKFLOWS.get(name)
    if workflow is not None:
        for transition in workflow.transitions:
            if transition.action == action:
                return str(transition.label)
    return code


def actor_label(label: str) -> str:
    if label in SYSTEM_ACTORS:
        return str(SYSTEM_ACTORS[label])
    if label.startswith("system:"):
        return _("system (%(name)s)") % {"name": label.removeprefix("system:")}
    return label


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_label(object_type: str, object_id: str) -> str:
    model = _model(object_type)
    if model is None:
        return f"{object_type}:{object_id}"
    return f"{capfirst(model._meta.verbose_name)} #{object_id}"


@dataclass(frozen=True)
class Change:
    label: str
    value: str  # "" when the field was removed


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _when(text: str, with_time: bool) -> str:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if not with_time:
        return date_format(moment.date(), "Y-m-d")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _shown(value: Any, field: models.Field[Any, Any] | None, model: Any, name: str) -> str:
    custom = getattr(model, "audit_value", None)
    if custom is not None:
        shown = custom(name, value)
        if shown is not None:
            return str(shown)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices and not isinstance(value, dict | list):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and isinstance(field, models.DateTimeField | models.DateField):
        return _when(value, isinstance(field, models.DateTimeField))
    if isinstance(field, models.ForeignKey) and isinstance(value, int):
        return f"#{value}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_plain(v) for v in value)
    return str(value)


def _plain(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "—" if value is None else str(value)


def _truncated(text: str) -> str:
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


def changes(object_type: str, patch: list[dict[str, Any]], limit: int = 8) -> list[Change]:
    """The first `limit` operations of a stored JSON patch, named for people."""
    model = _model(object_type)
    out = []
    for op in patch[:limit]:
        path = [p for p in str(op.get("path", "")).split("/") if p]
        if not path:
            continue
        name, rest = path[0], path[1:]
        field = _field(model, name)
        label = capfirst(str(field.verbose_name)) if field is not None else name
        if rest:
            label = " › ".join([label, *rest])
        if op.get("op") == "remove":
            out.append(Change(label, ""))
            continue
        shown = _shown(op.get("value"), field if not rest else None, model, name)
        out.append(Change(label, _truncated(shown)))
    return out
