"""The audit chain detects any change, removal or reordering of stored events."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from servicepark.common.actors import SystemActor
from servicepark.common.audit import audit_record, audit_verify
from servicepark.common.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def _events(n: int = 5) -> list[AuditEvent]:
    actor = SystemActor("test")
    return [
        audit_record(
            actor=actor,
            action="thing.update",
            object_type="x.thing",
            object_id=i,
            before={"n": i},
            after={"n": i + 1, "note": "改"},
        )
        for i in range(n)
    ]


def _raw(sql: str, params: list[object]) -> None:
    """Tamper the way an intruder with database access would (bypassing the PG trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _verify_cli() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), err.getvalue()
    return 0, out.getvalue()


def test_events_record_a_json_patch_and_chain():
    first, second = _events(2)
    assert second.prev_hash == first.hash
    assert {"op": "add", "path": "/note", "value": "改"} in first.patch
    assert audit_verify() is None
    assert _verify_cli() == (0, "OK: audit chain intact (2 events).\n")


def test_changed_event_is_named():
    events = _events()
    _raw(
        "UPDATE common_auditevent SET patch = %s WHERE id = %s",
        [json.dumps([{"op": "replace", "path": "/n", "value": 999}]), events[2].id],
    )
    problem = audit_verify()
    assert problem is not None and problem.event_id == events[2].id
    code, message = _verify_cli()
    assert code == 1 and f"#{events[2].id}" in message


def test_removed_event_is_named():
    events = _events()
    _raw("DELETE FROM common_auditevent WHERE id = %s", [events[1].id])
    problem = audit_verify()
    assert problem is not None and problem.event_id == events[1].id


def test_removed_last_event_is_detected():
    events = _events()
    _raw("DELETE FROM common_auditevent WHERE id = %s", [events[-1].id])
    assert audit_verify() is not None


def test_reordered_events_are_detected():
    events = _events()
    a, b = events[1], events[2]
    # Swap the content of two rows, keeping ids: the chain no longer links.
    _raw(
        "UPDATE common_auditevent SET object_id = %s, prev_hash = %s, hash = %s WHERE id = %s",
        [b.object_id, b.prev_hash, "tmp" + b.hash[3:], a.id],
    )
    _raw(
        "UPDATE common_auditevent SET object_id = %s, prev_hash = %s, hash = %s WHERE id = %s",
        [a.object_id, a.prev_hash, a.hash, b.id],
    )
    problem = audit_verify()
    assert problem is not None and problem.event_id == a.id


def test_model_refuses_updates_and_deletes():
    event = _events(1)[0]
    event.action = "forged"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
