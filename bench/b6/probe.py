"""Where the time of an engine run goes: wrappers around its parts and its SQL statements."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

TOP_STATEMENTS = 8

_PLACEHOLDERS = re.compile(r"(?:%s, )+%s")
_ROWS = re.compile(r"\((?:%s, )*%s\)(?:, \((?:%s, )*%s\))+")


def template(sql: str) -> str:
    return _PLACEHOLDERS.sub("%s, …", _ROWS.sub("(…), …", sql))


class Probe:
    """Times the parts of a real engine run from the outside: each credit step, each rule's
    `evaluate` (its hits consumed) and `_apply`, `_store_scores`, the refreshes the run's own
    saves trigger; and every SQL statement, by part: the time inside cursor.execute, and the
    time fetching results (for `iterator()`, a server-side cursor: the query runs there)."""

    def __init__(self) -> None:
        self.part = "engine"
        self.parts: dict[str, dict[str, float]] = defaultdict(
            lambda: {
                "wall_s": 0.0,
                "calls": 0,
                "statements": 0,
                "sql_s": 0.0,
                "fetch_s": 0.0,
                "hits": 0,
            }
        )
        self.sql: dict[tuple[str, str], list[Any]] = {}
        self.saved: list[tuple[Any, str, Any]] = []

    def timed(self, name: str, fn: Callable[..., Any], hits: bool = False) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if self.part == "hook refresh":  # inside it, everything counts for the refresh
                return list(fn(*args, **kwargs)) if hits else fn(*args, **kwargs)
            outer, self.part = self.part, name
            started = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
                if hits:
                    result = list(result)
                    self.parts[name]["hits"] += len(result)
                return result
            finally:
                self.parts[name]["wall_s"] += time.perf_counter() - started
                self.parts[name]["calls"] += 1
                self.part = outer

        return wrapper

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            part = self.parts[self.part]
            part["statements"] += 1
            part["sql_s"] += took
            key = (self.part, template(sql))
            if not sql.lstrip().upper().startswith("SELECT"):
                params = None  # only SELECTs are explained: keep no large insert in memory
            entry = self.sql.get(key)
            if entry is None:
                self.sql[key] = [1, took, took, sql, params]
            else:
                entry[0] += 1
                entry[1] += took
                if took > entry[2]:
                    entry[2:] = [took, sql, params]

    def fetching(self, original: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap compiler.cursor_iter: the time each fetchmany takes, by part."""

        def cursor_iter(*args: Any) -> Any:
            rows = original(*args)
            while True:
                started = time.perf_counter()
                try:
                    chunk = next(rows)
                except StopIteration:
                    return
                finally:
                    self.parts[self.part]["fetch_s"] += time.perf_counter() - started
                yield chunk

        return cursor_iter

    def install(self) -> None:
        from django.db.models.sql import compiler

        from servicepark.oversight import engine, hooks
        from servicepark.oversight.rules import RULES

        self.saved = [
            (compiler, "cursor_iter", compiler.cursor_iter),
            (engine, "STEPS", engine.STEPS),
            (engine, "_apply", engine._apply),
            (engine, "_store_scores", engine._store_scores),
            (hooks, "_refresh", hooks._refresh),
        ]
        # A write of the run itself that a rule watches (saved one by one, not in bulk)
        # refreshes that organization once the step commits, inside the full run.
        hooks._refresh = self.timed("hook refresh", hooks._refresh)
        compiler.cursor_iter = self.fetching(compiler.cursor_iter)
        engine.STEPS = tuple((n, self.timed(f"step {n}", fn)) for n, fn in engine.STEPS)
        for rule in RULES.values():
            rule.evaluate = self.timed(f"rule {rule.id}", rule.evaluate, hits=True)  # type: ignore[method-assign]

        original_apply = engine._apply

        def apply(rule: Any, hits: Any, ctx: Any, counts: Any) -> None:
            return self.timed(f"apply {rule.id}", original_apply)(rule, hits, ctx, counts)

        engine._apply = apply
        engine._store_scores = self.timed("scores", engine._store_scores)

    def uninstall(self) -> None:
        from servicepark.oversight.rules import RULES

        for module, name, value in self.saved:
            setattr(module, name, value)
        for rule in RULES.values():
            rule.__dict__.pop("evaluate", None)

    def report(self, total_s: float) -> dict[str, Any]:
        parts = []
        for name, p in sorted(self.parts.items(), key=lambda kv: -kv[1]["wall_s"]):
            wall = (
                p["wall_s"]
                if name != "engine"
                else total_s - sum(q["wall_s"] for n, q in self.parts.items() if n != "engine")
            )
            parts.append(
                {
                    "part": name,
                    "wall_s": round(wall, 3),
                    "share": round(wall / total_s, 3) if total_s else 0,
                    "statements": int(p["statements"]),
                    "sql_s": round(p["sql_s"], 3),
                    "fetch_s": round(p["fetch_s"], 3),
                    "hits": int(p["hits"]),
                }
            )
        parts.sort(key=lambda p: -p["wall_s"])
        top = sorted(self.sql.items(), key=lambda kv: -kv[1][1])[:TOP_STATEMENTS]
        statements = [
            {
                "part": part,
                "template": tmpl[:1500],
                "count": n,
                "total_s": round(total, 3),
                "mean_ms": round(total / n * 1000, 3),
                "max_ms": round(slowest * 1000, 2),
            }
            for (part, tmpl), (n, total, slowest, _sql, _params) in top
        ]
        return {"parts": parts, "top_statements": statements}

    def slowest_examples(self) -> list[tuple[str, str, Any]]:
        top = sorted(self.sql.items(), key=lambda kv: -kv[1][1])[:TOP_STATEMENTS]
        return [(tmpl, e[3], e[4]) for (_part, tmpl), e in top]
