"""Shared test fixtures: role-holding users and organizations, built through the services."""

from __future__ import annotations

import socket

import pytest

from servicepark.common.actors import SystemActor

# Reference data that migrations load and no test changes: transactional tests (live server,
# concurrency) end with a flush of every table, which would otherwise empty them.
KEEP_ON_FLUSH = frozenset({"geo_division"})


def pytest_configure(config: pytest.Config) -> None:
    from django.core.management.commands import flush

    def sql_flush_keeping_reference_data(
        style, connection, reset_sequences=True, allow_cascade=False
    ):  # type: ignore[no-untyped-def]
        tables = [
            t
            for t in connection.introspection.django_table_names(
                only_existing=True, include_views=False
            )
            if t not in KEEP_ON_FLUSH
        ]
        return connection.ops.sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )

    flush.sql_flush = sql_flush_keeping_reference_data


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may talk to loopback only (the database, the live server, the browser)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ):
            raise RuntimeError(f"Network access to {host!r} is blocked in tests")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def system() -> SystemActor:
    return SystemActor("test")


@pytest.fixture
def english(client, settings):
    """For tests that assert message text: messages in English (the default is Chinese), and
    the test client's pages too (by the language cookie, as a browser would ask)."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
