"""Incremental updates: when a row a rule watches is saved, the organizations it touches are
re-evaluated once the transaction commits (a failure there is logged, never raised into the
write that caused it)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

log = logging.getLogger(__name__)
# Set while a run evaluates: the rows it saves itself (e.g. a grade's reminder date) must not
# start refreshes of their own inside it.
_running: ContextVar[bool] = ContextVar("oversight_running", default=False)


@contextmanager
def suspended() -> Iterator[None]:
    token = _running.set(True)
    try:
        yield
    finally:
        _running.reset(token)


def _refresh(ids: set[int], models: frozenset[str] | None = None) -> None:
    from servicepark.oversight import engine

    try:
        if models is None:
            engine.refresh(ids)
        else:
            engine.refresh(ids, models=models)
    except Exception:  # noqa: BLE001 - the event itself has committed; the full run catches up
        log.exception("incremental oversight refresh failed for %s", sorted(ids))


def touched(instance: Any) -> set[int]:
    """The organizations whose signals a saved `instance` may change, by the rules that watch
    its model."""
    from servicepark.oversight.rules import RULES

    label = instance._meta.label
    ids: set[int] = set()
    for rule in RULES.values():
        if label in rule.watches:
            ids |= rule.organizations_touched(instance)
    return ids


def on_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or _running.get() or not settings.SERVICEPARK_OVERSIGHT_INCREMENTAL:
        return
    ids = touched(instance)
    if ids:
        # Only the steps and rules watching this model run (engine.run's `models`).
        models = frozenset({instance._meta.label})
        transaction.on_commit(lambda: _refresh(ids, models))


def connect() -> None:
    from servicepark.oversight.rules import RULES
    from servicepark.oversight.selectors import credit_check
    from servicepark.oversight.services.grades import grade_lookup
    from servicepark.procurement import eligibility

    if credit_check not in eligibility.CREDIT_LIST_CHECKS:
        eligibility.CREDIT_LIST_CHECKS.append(credit_check)
    if grade_lookup not in eligibility.GRADE_LOOKUP:
        eligibility.GRADE_LOOKUP.append(grade_lookup)

    labels = {label for rule in RULES.values() for label in rule.watches}
    for label in sorted(labels):
        post_save.connect(on_save, sender=apps.get_model(label), dispatch_uid=f"oversight:{label}")
