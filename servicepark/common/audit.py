"""The audit trail: an append-only, hash-chained log of every state change.

Each event's hash covers its own content and the previous event's hash, so editing, removing
or reordering any stored event breaks the chain at that point (`servicepark audit verify`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import jsonpatch
from django.db import models, transaction
from django.utils import timezone

from servicepark.common.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of `obj` as JSON-ready values (foreign keys by id)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _jsonable(getattr(obj, attname))
    return out


def _division_of(obj: models.Model) -> str:
    """The division an object belongs to, found along its model's SCOPE path
    (e.g. `catalogue__purchaser__division__code`), so the trail is scoped like the object."""
    paths = getattr(type(obj), "SCOPE", None)
    if paths is None:
        return str(getattr(obj, "division_id", "") or "")
    parts = paths.division.split("__")
    if parts[-2:] == ["division", "code"]:
        parts = [*parts[:-2], "division_id"]
    node: Any = obj
    for part in parts:
        node = getattr(node, part, None)
        if node is None:
            return ""
    return str(node)


def _canonical(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(event: AuditEvent) -> str:
    payload = {
        "id": event.id,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "division_code": event.division_code,
        "patch": event.patch,
        "context": event.context,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(_canonical(payload)).hexdigest()


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction (services are atomic)."""
    division_code = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
        division_code = _division_of(obj)
    # A JSON round trip makes the hashed values exactly what the database gives back.
    before_json = json.loads(json.dumps(_jsonable(dict(before or {}))))
    after_json = json.loads(json.dumps(_jsonable(dict(after or {}))))
    patch = jsonpatch.make_patch(before_json, after_json).patch
    context_json = json.loads(json.dumps(_jsonable(dict(context or {}))))
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            id=head.last_id + 1,
            occurred_at=timezone.now(),
            actor_id=actor.pk if is_user else None,
            actor_label=(
                actor.get_username() if hasattr(actor, "get_username") else str(actor or "system")
            )[:150],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            division_code=division_code,
            patch=patch,
            context=context_json,
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
        head.last_id = event.id
        head.last_hash = event.hash
        head.save(update_fields=["last_id", "last_hash"])
    return event


@dataclass(frozen=True)
class Entry:
    """One event of a batch written by `audit_record_many`."""

    object_type: str
    object_id: str | int
    division_code: str = ""
    after: Mapping[str, Any] | None = None
    before: Mapping[str, Any] | None = None


def audit_record_many(
    *, actor: Any, action: str, entries: Iterable[Entry], context: Mapping[str, Any] | None = None
) -> int:
    """Append one event per entry under a single lock of the chain's head (scheduled tasks
    that change thousands of rows at once). Same chain, same hashes as `audit_record`."""
    context_json = json.loads(json.dumps(_jsonable(dict(context or {}))))
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    label = (actor.get_username() if hasattr(actor, "get_username") else str(actor or "system"))[
        :150
    ]
    written = 0
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        batch: list[AuditEvent] = []
        last_id, last_hash = head.last_id, head.last_hash
        now = timezone.now()
        for entry in entries:
            before_json = json.loads(json.dumps(_jsonable(dict(entry.before or {}))))
            after_json = json.loads(json.dumps(_jsonable(dict(entry.after or {}))))
            event = AuditEvent(
                id=last_id + 1,
                occurred_at=now,
                actor_id=actor.pk if is_user else None,
                actor_label=label,
                action=action,
                object_type=entry.object_type,
                object_id=str(entry.object_id),
                division_code=entry.division_code,
                patch=jsonpatch.make_patch(before_json, after_json).patch,
                context=context_json,
                prev_hash=last_hash,
            )
            event.hash = event_hash(event)
            last_id, last_hash = event.id, event.hash
            batch.append(event)
            if len(batch) >= 2000:
                AuditEvent.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        if batch:
            AuditEvent.objects.bulk_create(batch)
            written += len(batch)
        if written:
            head.last_id, head.last_hash = last_id, last_hash
            head.save(update_fields=["last_id", "last_hash"])
    return written


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    reason: str


def audit_verify(*, chunk_size: int = 5000) -> ChainProblem | None:
    """Walk the chain in order; return the first event that does not fit, or None."""
    expected_prev = GENESIS_HASH
    expected_id = 1
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.id != expected_id:
            return ChainProblem(expected_id, f"event {expected_id} is missing")
        if event.prev_hash != expected_prev:
            return ChainProblem(event.id, "does not follow the previous event (removed/reordered)")
        if event_hash(event) != event.hash:
            return ChainProblem(event.id, "content was changed after it was written")
        expected_prev = event.hash
        expected_id += 1
    head = AuditHead.objects.filter(id=1).first()
    last_id = expected_id - 1
    if head is not None and (head.last_id != last_id or head.last_hash != expected_prev):
        return ChainProblem(last_id + 1, f"events after #{last_id} were removed")
    return None
