"""The full recompute as a background task (the same run as `servicepark oversight run`), for
a worker queue: `oversight_recompute.enqueue("2026-11-22")`."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from servicepark.oversight import engine


@task()
def oversight_recompute(as_of: str | None = None) -> dict[str, int]:
    outcome = engine.run(as_of=dt.date.fromisoformat(as_of) if as_of else None)
    return outcome.counts
