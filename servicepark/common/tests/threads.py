"""Running callables at the same moment, for the concurrency tests (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection
from django.utils import translation


def run_parallel(functions: list[Callable[[], object]]) -> list[BaseException]:
    """Start every function together (a barrier), each in its own thread with its own database
    connection and English messages; return the exceptions they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(functions))

    def wrap(fn: Callable[[], object]) -> Callable[[], None]:
        def inner() -> None:
            try:
                barrier.wait()
                with translation.override("en"):  # the test's language is per thread
                    fn()
            except BaseException as exc:  # noqa: BLE001 - collected and asserted by the caller
                errors.append(exc)
            finally:
                connection.close()

        return inner

    threads = [threading.Thread(target=wrap(f)) for f in functions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
