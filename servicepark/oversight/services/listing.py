"""Writing credit listings: one place that adds and removes entries, set-based, with an audit
event for each (used by the scheduled steps and by officials' decisions alike).

Adding is one `INSERT … ON CONFLICT DO NOTHING RETURNING` per batch (PostgreSQL and SQLite
≥ 3.35 both have it): an entry already made is skipped by the unique constraint, not by a
lookup of every key first. Removing is one `UPDATE … FROM unnest(…)` per batch on PostgreSQL
and one `UPDATE … WHERE id IN (…)` per distinct date elsewhere (B6: Django's `bulk_update`
took 527 s for 132,673 escalations)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import connection, models, transaction
from django.utils import timezone

from servicepark.common.audit import Entry, audit_record_many
from servicepark.oversight.models import CreditListing
from servicepark.oversight.triggers import trigger
from servicepark.registry.models import Organization

BATCH = 2000


@dataclass(frozen=True)
class NewListing:
    organization_id: int
    trigger: str
    source: str
    listed_on: dt.date
    evidence: str


@dataclass(frozen=True)
class Leaving:
    """An entry to take off its list: on which day, and the removal evidence to store."""

    pk: int
    organization_id: int
    removed_on: dt.date
    evidence: str = ""
    division: str | None = None  # the organization's division, when the caller has it


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _divisions(org_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(org_ids))
    out: dict[int, str] = {}
    for chunk in _chunks(ids, 5000):
        out.update(Organization.objects.filter(pk__in=chunk).values_list("id", "division_id"))
    return out


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _by_user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _insert_ignoring_existing(rows: list[dict[str, Any]]) -> list[tuple[int, int, str, str]]:
    """Insert CreditListing rows; those that would break a unique constraint (already listed)
    are skipped. Returns (id, organization_id, list, source) of the rows inserted."""
    if not rows:
        return []
    meta = CreditListing._meta
    quote = connection.ops.quote_name
    fields = [_field(CreditListing, name) for name in rows[0]]
    columns = ", ".join(quote(f.column) for f in fields)
    returning = (
        f"RETURNING {', '.join(quote(c) for c in ('id', 'organization_id', 'list', 'source'))}"
    )
    out: list[tuple[int, int, str, str]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array per column: a short statement
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
            sql = (  # names from the model's metadata; every value is a parameter
                f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
                f"SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING {returning}"
            )
            for chunk in _chunks(rows, 5000):
                params = [
                    [f.get_db_prep_save(row[f.name], connection) for row in chunk] for f in fields
                ]
                cursor.execute(sql, params)
                out += [(int(a), int(b), str(c), str(d)) for a, b, c, d in cursor.fetchall()]
            return out
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        # SQLite allows 32,766 parameters per statement.
        size = max(1, min(BATCH, 30000 // len(fields)))
        for chunk in _chunks(rows, size):
            values: list[Any] = []
            for row in chunk:
                values += [f.get_db_prep_save(row[f.name], connection) for f in fields]
            sql = (  # names from the model's metadata; every value is a parameter
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
                + ", ".join([one] * len(chunk))
                + f" ON CONFLICT DO NOTHING {returning}"
            )
            cursor.execute(sql, values)
            out += [(int(a), int(b), str(c), str(d)) for a, b, c, d in cursor.fetchall()]
    return out


def add_listings(*, actor: Any, items: list[NewListing]) -> list[int]:
    """Create the entries not yet made (the same organization, list and source is one
    entry, however often a step runs); returns the ids of the new entries."""
    if not items:
        return []
    by_key: dict[tuple[int, str, str], NewListing] = {}
    for item in items:
        t = trigger(item.trigger)
        by_key[(item.organization_id, str(t.list), item.source)] = item
    now = timezone.now()
    user = _by_user(actor)
    rows = []
    for (org_id, listed, source), item in by_key.items():
        t = trigger(item.trigger)
        rows.append(
            {
                "organization": org_id,
                "list": listed,
                "trigger": item.trigger,
                "source": source,
                "evidence": item.evidence,
                "listed_on": item.listed_on,
                "listed_by": user.pk if user is not None else None,
                "needs_rectification": t.needs_rectification,
                "fulfilled_on": None,
                "removal_requested_on": None,
                "removal_request": "",
                "removed_on": None,
                "removal": "",
                "removal_evidence": "",
                "removed_by": None,
                "created_at": now,
                "updated_at": now,
            }
        )
    with transaction.atomic():
        created = _insert_ignoring_existing(rows)
        if not created:
            return []
        divisions = _divisions(org for _pk, org, _l, _s in created)
        entries = []
        for pk, org_id, listed, source in created:
            item = by_key[(org_id, listed, source)]
            entries.append(
                Entry(
                    "oversight.creditlisting",
                    pk,
                    divisions.get(org_id, ""),
                    after={
                        "organization": org_id,
                        "list": listed,
                        "trigger": item.trigger,
                        "listed_on": item.listed_on,
                        "evidence": item.evidence,
                    },
                )
            )
        audit_record_many(actor=actor, action="credit.list", entries=entries)
    return [pk for pk, _o, _l, _s in created]


def update_rows(
    model: type[models.Model],
    names: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
    constants: dict[str, Any] | None = None,
) -> None:
    """Set, for each (pk, value, value, …) of `rows`, the fields `names` to those values, and
    the fields of `constants` to theirs: in one statement per batch on PostgreSQL, and in one
    per batch of rows with the same values elsewhere."""
    if not rows:
        return
    constants = constants or {}
    if connection.vendor == "postgresql":
        meta = model._meta
        quote = connection.ops.quote_name
        pk = meta.pk
        assert pk is not None
        fields = [_field(model, name) for name in names]
        fixed = [(_field(model, name), value) for name, value in constants.items()]
        sets = [f"{quote(f.column)} = v.c{i}" for i, f in enumerate(fields)]
        sets += [f"{quote(f.column)} = %s" for f, _v in fixed]
        arrays = [f"%s::{cast(Any, pk).rel_db_type(connection)}[]"]
        arrays += [f"%s::{f.db_type(connection)}[]" for f in fields]
        alias = ", ".join(["id", *(f"c{i}" for i in range(len(fields)))])
        sql = (  # names from the model's metadata; every value is a parameter
            f"UPDATE {quote(meta.db_table)} AS t SET {', '.join(sets)} "  # noqa: S608
            f"FROM unnest({', '.join(arrays)}) AS v({alias}) WHERE t.{quote(pk.column)} = v.id"
        )
        head = [
            f.get_db_prep_save(value.pk if isinstance(value, models.Model) else value, connection)
            for f, value in fixed
        ]
        with connection.cursor() as cursor:
            for chunk in _chunks(rows, 10000):
                columns: list[list[Any]] = [[row[0] for row in chunk]]
                for i, f in enumerate(fields, start=1):
                    columns.append([f.get_db_prep_save(row[i], connection) for row in chunk])
                cursor.execute(sql, [*head, *columns])
        return
    groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for row in rows:
        groups[tuple(row[1:])].append(row[0])
    for values, pks in groups.items():
        for chunk in _chunks(pks, 500):
            model._default_manager.filter(pk__in=chunk).update(
                **dict(zip(names, values, strict=True)), **constants
            )


def remove_rows(*, actor: Any, rows: Sequence[Leaving], removal: str) -> int:
    """Take entries off their list, each on its own day, with an audit event each."""
    if not rows:
        return 0
    with transaction.atomic():
        update_rows(
            CreditListing,
            ("removed_on", "removal_evidence"),
            [(r.pk, r.removed_on, r.evidence) for r in rows],
            {"removal": removal, "removed_by": _by_user(actor)},
        )
        missing = [r.organization_id for r in rows if r.division is None]
        divisions = _divisions(missing) if missing else {}
        audit_record_many(
            actor=actor,
            action="credit.remove",
            entries=[
                Entry(
                    "oversight.creditlisting",
                    r.pk,
                    r.division if r.division is not None else divisions.get(r.organization_id, ""),
                    before={"removed_on": None},
                    after={"removed_on": r.removed_on, "removal": removal, "evidence": r.evidence},
                )
                for r in rows
            ],
        )
    return len(rows)


def remove_listings(
    *,
    actor: Any,
    listings: list[CreditListing],
    removal: str,
    on: dt.date | None = None,
    evidence: str = "",
) -> int:
    """Take entries off their list (`on` defaults to each entry's own computed date)."""
    if not listings:
        return 0
    by_user = _by_user(actor)
    for listing in listings:
        listing.removed_on = on or listing.removed_on
        listing.removal = removal
        listing.removal_evidence = evidence or listing.removal_evidence
        listing.removed_by = by_user
    rows = []
    for item in listings:
        assert item.removed_on is not None
        rows.append(Leaving(item.pk, item.organization_id, item.removed_on, item.removal_evidence))
    return remove_rows(actor=actor, rows=rows, removal=removal)
