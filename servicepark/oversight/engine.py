"""The oversight run: the credit lists' time-driven steps, every early-warning rule, the
risk scores and the alerts — for everyone (`servicepark oversight run`) or, after an event,
for the organizations it touched.

A rule that raises is recorded on the run and the run goes on (decision 014). A run for a date
before the latest full run back-fills listings and scores but leaves the current signals alone;
a date after today is a preview and stores nothing."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from servicepark.common.audit import audit_record
from servicepark.oversight import hooks, signal_sync
from servicepark.oversight.models import Alert, OversightRun, RiskScore, Signal
from servicepark.oversight.rules import RULES
from servicepark.oversight.rules.base import Context, Hit, Rule, chunked
from servicepark.oversight.services.credit_steps import STEP_WATCHES, STEP_WRITES, STEPS

log = logging.getLogger(__name__)


class Preview(Exception):
    """Raised inside the run's transaction to roll a preview back."""


@dataclass
class Outcome:
    as_of: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    run: OversightRun | None = None
    stored: bool = True


def _weights() -> dict[int, int]:
    return {int(k): int(v) for k, v in settings.SERVICEPARK_RISK_WEIGHTS.items()}


def score_of(
    rows: Iterable[tuple[str, str, int]], weights: dict[int, int] | None = None
) -> tuple[int, list[list[Any]]]:
    """(rule, key, severity) rows → a score capped at 100 and its explainable breakdown."""
    weights = _weights() if weights is None else weights
    breakdown: list[list[Any]] = [[rule, key, sev, weights.get(sev, 0)] for rule, key, sev in rows]
    return min(100, sum(int(item[3]) for item in breakdown)), breakdown


def _apply(rule: Rule, hits: list[Hit], ctx: Context, counts: dict[str, int]) -> None:
    """Make the rule's open signals match its hits (`signal_sync`); alerts for the new signals
    grave enough."""
    synced = signal_sync.sync(rule.id, list(signal_sync.rows(rule, hits)), ctx)
    threshold = int(settings.SERVICEPARK_ALERT_MIN_SEVERITY)
    alerts = [
        Alert(organization_id=org_id, signal_id=pk)
        for pk, org_id, severity in synced.new
        if severity >= threshold
    ]
    Alert.objects.bulk_create(alerts, batch_size=2000)
    for name, n in (
        ("new", len(synced.new)),
        ("changed", synced.changed),
        ("cleared", synced.cleared),
        ("alerts", len(alerts)),
    ):
        counts[f"signals_{name}"] = counts.get(f"signals_{name}", 0) + n


def _store_scores(ctx: Context, by_org: dict[int, list[tuple[str, str, int]]]) -> int:
    """Store each organization's score for the run's date, writing only the rows that
    differ from what is stored for that date already (a second run on the same day writes
    nothing when nothing changed)."""
    previous = OversightRun.objects.filter(
        mode=OversightRun.Mode.FULL, as_of__lt=ctx.as_of
    ).aggregate(d=Max("as_of"))["d"]
    weights = _weights()
    rows: dict[int, tuple[int, list[list[Any]]]] = {
        org_id: score_of(items, weights) for org_id, items in by_org.items()
    }
    if previous is not None:  # record the drops to zero, so the trend shows them
        earlier = ctx.only(RiskScore.objects.filter(as_of=previous, score__gt=0))
        for org_id in (
            earlier.order_by().values_list("organization_id", flat=True).iterator(chunk_size=5000)
        ):
            rows.setdefault(org_id, (0, []))
    at_risk = sum(1 for score, _b in rows.values() if score)
    stale: list[int] = []
    stored = (
        ctx.only(RiskScore.objects.filter(as_of=ctx.as_of))
        .order_by()
        .values_list("id", "organization_id", "score", "breakdown")
    )
    for pk, org_id, score, breakdown in stored.iterator(chunk_size=5000):
        row = rows.get(org_id)
        if row is not None and row == (score, breakdown):
            del rows[org_id]  # unchanged: nothing to write
        else:
            stale.append(pk)
    for batch in chunked(stale):
        RiskScore.objects.filter(pk__in=batch).delete()
    RiskScore.objects.bulk_create(
        (
            RiskScore(organization_id=org_id, as_of=ctx.as_of, score=score, breakdown=breakdown)
            for org_id, (score, breakdown) in rows.items()
        ),
        batch_size=5000,
    )
    return at_risk


def _is_current(as_of: dt.date) -> bool:
    latest = OversightRun.objects.filter(
        mode=OversightRun.Mode.FULL, finished_at__isnull=False
    ).aggregate(d=Max("as_of"))["d"]
    return latest is None or as_of >= latest


def _plan_for_whole_results() -> None:
    """Rules and steps read every row their queries return, in batches through server-side
    cursors; PostgreSQL plans cursors for the first 10 % of rows unless told otherwise, which
    turned a 9-second rule into a 104-second one at a million organizations (B6)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1")


def _evaluate(ctx: Context, actor: Any, outcome: Outcome, models: frozenset[str] | None) -> None:
    with hooks.suspended():
        _steps_and_rules(ctx, actor, outcome, models)


def _stored_signals(ctx: Context, rules: Iterable[str]) -> dict[str, list[tuple[int, str, int]]]:
    """The open signals of `rules` for the run's organizations, by rule: what an incremental
    run that does not evaluate those rules counts in the scores."""
    out: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    rows = (
        ctx.only(Signal.objects.filter(rule__in=list(rules), cleared_on__isnull=True))
        .order_by("id")
        .values_list("rule", "organization_id", "key", "severity")
    )
    for rule_id, org_id, key, severity in rows:
        out[rule_id].append((org_id, key, int(severity)))
    return out


def _steps_and_rules(
    ctx: Context, actor: Any, outcome: Outcome, models: frozenset[str] | None
) -> None:
    """Every step and rule, or (after an event, `models` given) only those that watch one of
    the models the event saved — and those that watch what the steps then changed."""
    current = _is_current(ctx.as_of)
    if not current:
        models = None  # back-filling: the stored signals are not those of this date
    watched = set(models or ())
    for name, step in STEPS:
        if models is not None and not (STEP_WATCHES.get(name, frozenset()) & watched):
            continue
        try:
            with transaction.atomic():
                _plan_for_whole_results()
                outcome.counts[name] = step(ctx, actor)
        except Exception as exc:  # noqa: BLE001 - a failing step must not stop the run
            log.exception("oversight step %s failed", name)
            outcome.errors.append({"step": name, "error": f"{type(exc).__name__}: {exc}"})
            continue
        if outcome.counts[name] and name in STEP_WRITES:
            watched.add(STEP_WRITES[name])
    by_org: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    skipped = {
        rule.id for rule in RULES.values() if models is not None and not rule.watching(watched)
    }
    stored = _stored_signals(ctx, skipped) if skipped else {}
    for rule in RULES.values():
        if rule.id in skipped:
            for org_id, key, severity in stored.get(rule.id, ()):
                by_org[org_id].append((rule.id, key, severity))
            continue
        try:
            with transaction.atomic():
                _plan_for_whole_results()
                hits = list(rule.evaluate(ctx))
                if current:
                    _apply(rule, hits, ctx, outcome.counts)
        except Exception as exc:  # noqa: BLE001 - record and continue (the issue's rule)
            log.exception("oversight rule %s failed", rule.id)
            outcome.errors.append({"rule": rule.id, "error": f"{type(exc).__name__}: {exc}"})
            continue
        for hit in hits:
            by_org[hit.organization_id].append(
                (rule.id, hit.key, int(hit.severity or rule.severity))
            )
    with transaction.atomic():
        outcome.counts["organizations_at_risk"] = _store_scores(ctx, by_org)


def run(
    *,
    as_of: dt.date | None = None,
    organization_ids: Iterable[int] | None = None,
    actor: Any = None,
    dry_run: bool = False,
    models: Iterable[str] | None = None,
) -> Outcome:
    """A full run (no `organization_ids`), or a run for the organizations an event touched;
    `models` (labels such as "oversight.AnnualReport") then narrows it to the steps and rules
    that watch what the event saved. Without it every step and rule runs."""
    from servicepark.common.actors import SystemActor

    actor = actor or SystemActor("oversight")
    today = timezone.localdate()
    as_of = as_of or today
    ids = None if organization_ids is None else frozenset(organization_ids)
    labels = None if ids is None or models is None else frozenset(models)
    ctx = Context(as_of=as_of, organization_ids=ids)
    outcome = Outcome(as_of=as_of, stored=not (dry_run or as_of > today))
    mode = OversightRun.Mode.FULL if ids is None else OversightRun.Mode.INCREMENTAL
    started = timezone.now()
    if not outcome.stored:  # a preview: evaluate everything, keep nothing
        try:
            with transaction.atomic():
                _evaluate(ctx, actor, outcome, labels)
                raise Preview
        except Preview:
            return outcome
    _evaluate(ctx, actor, outcome, labels)
    changed = any(v for k, v in outcome.counts.items() if k != "organizations_at_risk")
    if mode == OversightRun.Mode.FULL or changed or outcome.errors:
        with transaction.atomic():
            outcome.run = OversightRun.objects.create(
                as_of=as_of,
                mode=mode,
                started_at=started,
                finished_at=timezone.now(),
                counts=outcome.counts,
                errors=outcome.errors,
            )
            audit_record(
                actor=actor,
                action="oversight.run",
                obj=outcome.run,
                after={
                    "as_of": as_of,
                    "mode": mode,
                    "counts": outcome.counts,
                    "errors": len(outcome.errors),
                },
            )
    return outcome


def refresh(organization_ids: Iterable[int], models: Iterable[str] | None = None) -> Outcome | None:
    """After an event: re-evaluate the organizations it touched, as of today — with only the
    steps and rules that watch `models` (the labels of the models it saved) when given."""
    ids = {i for i in organization_ids if i}
    if not ids:
        return None
    return run(organization_ids=ids, models=models)
