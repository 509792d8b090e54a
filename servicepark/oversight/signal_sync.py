"""Making a rule's open signals match its hits, the part of the oversight run that writes
signals: new ones, changed ones (severity, params, evidence), cleared ones.

Two ways to the same result. In Python: read the open signals, compare each hit, write what
differs — on SQLite, and for runs that touch few organizations (an event's refresh). Set-based,
on PostgreSQL, for full runs: COPY the hits into a temporary table and let three statements
compare — reading, decoding and comparing every open signal in Python was the largest part of
the full run at a million organizations (B6), and the first run's inserts go in one statement.
The hits are prepared once (`rows`) for both; the comparison is equality of severity and of
params and evidence as JSON (Python's `==` on the decoded values, jsonb `=` in SQL), and
`tests/test_signal_sync.py` runs the same cases through both."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from servicepark.oversight.models import Signal
from servicepark.oversight.rules.base import Context, Hit, Rule, chunked

# A run for at least this many organizations (or a full run) compares set-based on
# PostgreSQL: below it the temporary table costs more than it saves.
SET_BASED_FROM = 1000

# A hit as it is stored: (organization, key, severity, params, evidence), the first hit of
# each (organization, key), with the rule's severity when the hit has none of its own.
Row = tuple[int, str, int, dict[str, Any], list[dict[str, Any]]]


@dataclass
class Synced:
    new: list[tuple[int, int, int]] = field(default_factory=list)  # (id, org, severity), by id
    changed: int = 0
    cleared: int = 0


def rows(rule: Rule, hits: Iterable[Hit]) -> Iterator[Row]:
    """The hits as rows to store: a later hit for an (organization, key) already seen is
    ignored, and a hit without its own severity has the rule's."""
    seen: set[tuple[int, str]] = set()
    default = int(rule.severity)
    for hit in hits:
        ident = (hit.organization_id, hit.key)
        if ident not in seen:
            seen.add(ident)
            severity = int(hit.severity) if hit.severity else default
            yield (hit.organization_id, hit.key, severity, hit.params, hit.evidence)


def set_based(ctx: Context) -> bool:
    if connection.vendor != "postgresql":
        return False
    return ctx.organization_ids is None or len(ctx.organization_ids) >= SET_BASED_FROM


def sync(rule_id: str, items: list[Row], ctx: Context) -> Synced:
    if set_based(ctx):
        return sync_in_sql(rule_id, items, ctx)
    return sync_in_python(rule_id, items, ctx)


def sync_in_python(rule_id: str, items: list[Row], ctx: Context) -> Synced:
    """The open signals are read as plain rows (no model instances) and only the ones that
    differ are written."""
    existing = {
        (org_id, key): (pk, severity, params, evidence)
        for pk, org_id, key, severity, params, evidence in ctx.only(
            Signal.objects.filter(rule=rule_id, cleared_on__isnull=True)
        )
        .order_by()
        .values_list("id", "organization_id", "key", "severity", "params", "evidence")
        .iterator(chunk_size=5000)
    }
    new: list[Signal] = []
    changed: list[Signal] = []
    for org_id, key, severity, params, proof in items:
        current = existing.pop((org_id, key), None)
        if current is None:
            new.append(
                Signal(
                    organization_id=org_id,
                    rule=rule_id,
                    key=key,
                    severity=severity,
                    params=params,
                    evidence=proof,
                    first_seen_on=ctx.as_of,
                    last_seen_on=ctx.as_of,
                )
            )
        elif current[1:] != (severity, params, proof):
            changed.append(
                Signal(
                    id=current[0],
                    severity=severity,
                    params=params,
                    evidence=proof,
                    last_seen_on=ctx.as_of,
                )
            )
    created = Signal.objects.bulk_create(new, batch_size=2000)
    Signal.objects.bulk_update(
        changed, ["severity", "params", "evidence", "last_seen_on"], batch_size=500
    )
    for batch in chunked([row[0] for row in existing.values()]):
        Signal.objects.filter(pk__in=batch).update(cleared_on=ctx.as_of)
    return Synced(
        new=[(int(s.pk), s.organization_id, s.severity) for s in created],
        changed=len(changed),
        cleared=len(existing),
    )


# Each statement reads the rule's open signals — of the run's organizations only when it has
# some, as `ctx.only` scopes them — and matches them with the hits by (organization, key).
# A hit's params and evidence travel as one JSON array, `doc` (one json.dumps a hit, not two).
_CREATE = (
    "CREATE TEMP TABLE oversight_sync_hits (ord integer NOT NULL, "
    "organization_id bigint NOT NULL, key text NOT NULL, severity smallint NOT NULL, "
    "doc jsonb NOT NULL) ON COMMIT DROP"
)
_COPY = "COPY oversight_sync_hits (ord, organization_id, key, severity, doc) FROM STDIN"
_CHANGE = """
UPDATE oversight_signal s
   SET severity = h.severity, params = h.doc -> 0, evidence = h.doc -> 1,
       last_seen_on = %(day)s
  FROM oversight_sync_hits h
 WHERE s.rule = %(rule)s AND s.cleared_on IS NULL
   AND (%(ids)s::bigint[] IS NULL OR s.organization_id = ANY(%(ids)s::bigint[]))
   AND s.organization_id = h.organization_id AND s.key = h.key
   AND (s.severity <> h.severity OR s.params <> h.doc -> 0 OR s.evidence <> h.doc -> 1)
"""
_CLEAR = """
UPDATE oversight_signal s SET cleared_on = %(day)s
 WHERE s.rule = %(rule)s AND s.cleared_on IS NULL
   AND (%(ids)s::bigint[] IS NULL OR s.organization_id = ANY(%(ids)s::bigint[]))
   AND NOT EXISTS (
       SELECT 1 FROM oversight_sync_hits h
        WHERE h.organization_id = s.organization_id AND h.key = s.key)
"""
_INSERT = """
INSERT INTO oversight_signal (organization_id, rule, key, severity, params, evidence,
                              first_seen_on, last_seen_on, cleared_on)
SELECT h.organization_id, %(rule)s, h.key, h.severity, h.doc -> 0, h.doc -> 1,
       %(day)s, %(day)s, NULL
  FROM oversight_sync_hits h
 WHERE NOT EXISTS (
       SELECT 1 FROM oversight_signal s
        WHERE s.rule = %(rule)s AND s.cleared_on IS NULL
          AND (%(ids)s::bigint[] IS NULL OR s.organization_id = ANY(%(ids)s::bigint[]))
          AND s.organization_id = h.organization_id AND s.key = h.key)
 ORDER BY h.ord
RETURNING id, organization_id, severity
"""


def sync_in_sql(rule_id: str, items: list[Row], ctx: Context) -> Synced:
    """The same comparison in three statements over a temporary table of the hits (dropped
    at the end, or with the transaction). The new signals are inserted in the order of the
    hits, so their ids follow it as in Python."""
    ids = None if ctx.organization_ids is None else sorted(ctx.organization_ids)
    args: dict[str, Any] = {"rule": rule_id, "day": ctx.as_of, "ids": ids}
    dumps = json.dumps  # as Django's JSONField writes them (it has no encoder: JSON types)
    with transaction.atomic(), connection.cursor() as cursor:
        # The joins hash both sides; with the default 4 MB they spill to disk at 100k hits.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(_CREATE)
        with cursor.cursor.copy(_COPY) as copy:  # psycopg's own cursor under Django's
            write = copy.write_row
            for n, (org_id, key, severity, params, proof) in enumerate(items):
                write((n, org_id, key, severity, dumps((params, proof))))
        # The key's index keeps the joins fast when the planner misjudges the open signals
        # (no statistics yet after the first run inserted them: a nested loop over every
        # hit for every signal took 135 s at 100k organizations); with statistics of the
        # keys (those of doc take time) they hash.
        cursor.execute("ALTER TABLE oversight_sync_hits ADD PRIMARY KEY (organization_id, key)")
        cursor.execute("ANALYZE oversight_sync_hits (organization_id, key)")
        cursor.execute(_CHANGE, args)
        changed = cursor.rowcount
        cursor.execute(_CLEAR, args)
        cleared = cursor.rowcount
        cursor.execute(_INSERT, args)
        new = sorted((int(pk), int(org), int(sev)) for pk, org, sev in cursor.fetchall())
        cursor.execute("DROP TABLE oversight_sync_hits")
    return Synced(new=new, changed=changed, cleared=cleared)
