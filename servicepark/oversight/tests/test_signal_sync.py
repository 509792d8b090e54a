"""Storing a rule's hits as signals: the Python comparison and the set-based one on PostgreSQL
decide the same (every case runs through both), and a full run on the same day changes
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from servicepark.oversight import engine, signal_sync
from servicepark.oversight.models import Alert, Signal
from servicepark.oversight.rules.base import Context, Hit, Rule
from servicepark.oversight.signal_sync import Row, Synced
from servicepark.oversight.tests.conftest import frozen
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
D = dt.date
RULE = "test_rule"
PARAMS: dict[str, Any] = {
    "name": '证据 "quoted"\tand\\slash\n',
    "ratio": 5,
    "share": 0.75,
    "flag": True,
    "none": None,
    "list": [1, "a", None, {"z": 1, "a": [2.5, False]}],
    "nested": {"b": 1, "a": {"c": []}},
}
EVIDENCE = [{"kind": "listing", "id": 7, "text": "abnormal/no_party_org 2025-01-02"}]

Sync = Callable[[str, list[Row], Context], Synced]


def _sql(rule_id: str, items: list[Row], ctx: Context) -> Synced:
    if connection.vendor != "postgresql":
        pytest.skip("the set-based comparison runs on PostgreSQL")
    return signal_sync.sync_in_sql(rule_id, items, ctx)


@pytest.fixture(params=["python", "sql"])
def sync(request: pytest.FixtureRequest) -> Sync:
    return signal_sync.sync_in_python if request.param == "python" else _sql


def row(org_id: int, key: str = "k", severity: int = 2, **params: Any) -> Row:
    return (org_id, key, severity, params or dict(PARAMS), list(EVIDENCE))


def stored() -> list[tuple[Any, ...]]:
    return list(
        Signal.objects.order_by("id").values_list(
            "organization_id",
            "rule",
            "key",
            "severity",
            "params",
            "evidence",
            "first_seen_on",
            "last_seen_on",
            "cleared_on",
        )
    )


def test_a_second_sync_of_the_same_hits_changes_nothing(sync):
    org, other = make_org(), make_org()
    items = [row(org.pk, "a"), row(other.pk, "b", 3), row(org.pk, "c", 1, x=[1, 2])]
    first = sync(RULE, items, Context(as_of=D(2026, 5, 1)))
    ids = list(Signal.objects.order_by("id").values_list("id", flat=True))
    assert first.new == [
        (ids[0], org.pk, 2),
        (ids[1], other.pk, 3),
        (ids[2], org.pk, 1),
    ]  # in the order of the hits
    assert (first.changed, first.cleared) == (0, 0)
    before = stored()
    assert before[0] == (org.pk, RULE, "a", 2, PARAMS, EVIDENCE, D(2026, 5, 1), D(2026, 5, 1), None)
    again = sync(RULE, items, Context(as_of=D(2026, 5, 2)))
    assert again == Synced()
    assert stored() == before  # not even last_seen_on moves when nothing changed


def test_a_changed_hit_updates_its_signal(sync):
    org = make_org()
    sync(RULE, [row(org.pk, "a"), row(org.pk, "b"), row(org.pk, "c")], Context(as_of=D(2026, 5, 1)))
    graver = row(org.pk, "a", 3)
    other_params = row(org.pk, "b", 2, year=2025)
    proof = [{"kind": "call", "id": 1, "text": "x"}]
    other_proof = (org.pk, "c", 2, dict(PARAMS), proof)
    done = sync(RULE, [graver, other_params, other_proof], Context(as_of=D(2026, 5, 3)))
    assert done == Synced(changed=3)
    assert [s[2:] for s in stored()] == [
        ("a", 3, PARAMS, EVIDENCE, D(2026, 5, 1), D(2026, 5, 3), None),
        ("b", 2, {"year": 2025}, EVIDENCE, D(2026, 5, 1), D(2026, 5, 3), None),
        ("c", 2, PARAMS, proof, D(2026, 5, 1), D(2026, 5, 3), None),
    ]


def test_a_vanished_hit_clears_and_a_returning_one_is_new(sync):
    org = make_org()
    sync(RULE, [row(org.pk, "a"), row(org.pk, "b")], Context(as_of=D(2026, 5, 1)))
    assert sync(RULE, [row(org.pk, "b")], Context(as_of=D(2026, 5, 2))) == Synced(cleared=1)
    assert [(s[2], s[8]) for s in stored()] == [("a", D(2026, 5, 2)), ("b", None)]
    back = sync(RULE, [row(org.pk, "a"), row(org.pk, "b")], Context(as_of=D(2026, 5, 3)))
    assert len(back.new) == 1 and (back.changed, back.cleared) == (0, 0)
    assert [(s[2], s[6], s[8]) for s in stored()] == [
        ("a", D(2026, 5, 1), D(2026, 5, 2)),
        ("b", D(2026, 5, 1), None),
        ("a", D(2026, 5, 3), None),
    ]


def test_other_rules_signals_are_left_alone(sync):
    org = make_org()
    sync("other_rule", [row(org.pk, "a")], Context(as_of=D(2026, 5, 1)))
    assert sync(RULE, [], Context(as_of=D(2026, 5, 2))) == Synced()
    assert sync(RULE, [row(org.pk, "a", 3)], Context(as_of=D(2026, 5, 2))).new
    assert [(s[1], s[3], s[8]) for s in stored()] == [("other_rule", 2, None), (RULE, 3, None)]


def test_an_incremental_sync_touches_only_its_organizations(sync):
    mine, theirs = make_org(), make_org()
    full = Context(as_of=D(2026, 5, 1))
    sync(RULE, [row(mine.pk, "a"), row(mine.pk, "b"), row(theirs.pk, "a")], full)
    scoped = Context(as_of=D(2026, 5, 2), organization_ids=frozenset({mine.pk}))
    done = sync(RULE, [row(mine.pk, "a", 3), row(mine.pk, "c")], scoped)
    assert (len(done.new), done.changed, done.cleared) == (1, 1, 1)
    assert [(s[0], s[2], s[3], s[8]) for s in stored()] == [
        (mine.pk, "a", 3, None),
        (mine.pk, "b", 2, D(2026, 5, 2)),
        (theirs.pk, "a", 2, None),  # not in the run: neither compared nor cleared
        (mine.pk, "c", 2, None),
    ]
    nobody = Context(as_of=D(2026, 5, 3), organization_ids=frozenset())
    assert sync(RULE, [], nobody) == Synced()


class _Rule(Rule):
    id = RULE
    severity = 1


def test_the_first_hit_of_an_organization_and_key_counts():
    hits = [
        Hit(1, "a", {"n": 1}, [], severity=3),
        Hit(1, "a", {"n": 2}),
        Hit(2, "a", {"n": 3}),
    ]
    assert list(signal_sync.rows(_Rule(), hits)) == [
        (1, "a", 3, {"n": 1}, []),
        (2, "a", 1, {"n": 3}, []),
    ]


@pytest.mark.parametrize("threshold", [0, 10**9], ids=["set-based", "in Python"])
def test_apply_alerts_on_new_grave_signals_and_counts(monkeypatch, threshold, settings):
    monkeypatch.setattr(signal_sync, "SET_BASED_FROM", threshold)
    settings.SERVICEPARK_ALERT_MIN_SEVERITY = 2
    org, other = make_org(), make_org()
    ctx = Context(as_of=D(2026, 5, 1), organization_ids=frozenset({org.pk, other.pk}))
    counts: dict[str, int] = {}
    hits = [Hit(org.pk, "a", {}, []), Hit(other.pk, "b", {}, [], severity=2), Hit(org.pk, "c")]
    engine._apply(_Rule(), hits, ctx, counts)
    assert counts == {
        "signals_new": 3,
        "signals_changed": 0,
        "signals_cleared": 0,
        "signals_alerts": 1,
    }
    (alert,) = Alert.objects.all()
    assert (alert.organization_id, alert.signal.key, alert.state) == (other.pk, "b", "open")
    engine._apply(_Rule(), hits[1:], ctx, counts)
    assert counts == {
        "signals_new": 3,
        "signals_changed": 0,
        "signals_cleared": 1,
        "signals_alerts": 1,
    }


def test_a_full_run_on_the_same_day_changes_nothing(org):
    make_org(status="registered", founded_on="2015-01-01")
    with frozen(D(2026, 6, 1)):
        first = engine.run(as_of=D(2026, 6, 1))
        assert first.counts["signals_new"] > 0
        signals, alerts = stored(), Alert.objects.count()
        again = engine.run(as_of=D(2026, 6, 1))
    assert {k: v for k, v in again.counts.items() if k.startswith("signals_")} == {
        "signals_new": 0,
        "signals_changed": 0,
        "signals_cleared": 0,
        "signals_alerts": 0,
    }
    assert (stored(), Alert.objects.count()) == (signals, alerts)
