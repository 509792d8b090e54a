"""Actors that are not people: the command line, the demo loader, scheduled tasks.

They act with full rights (whoever runs the command already controls the server) and are named
in the audit trail, e.g. `system:cli`.
"""

from __future__ import annotations


class SystemActor:
    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None
    id = None

    def __init__(self, name: str) -> None:
        self.name = name

    def get_username(self) -> str:
        return f"system:{self.name}"

    def __str__(self) -> str:
        return self.get_username()
