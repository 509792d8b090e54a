"""Reading the environment: the only place settings look at os.environ."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SERVICEPARK_VAR", BASE_DIR / "var"))

DEFAULT_DATABASE_URL = "sqlite:///var/servicepark.sqlite3"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_config(url: str | None = None) -> dict[str, object]:
    """Parse DATABASE_URL; relative SQLite paths are relative to the project root."""
    url = url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        relative = url.removeprefix("sqlite:///")
        path = BASE_DIR / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    config: dict[str, object] = dict(dj_database_url.parse(url))
    if str(config["ENGINE"]).endswith("sqlite3"):
        # WAL lets readers proceed while one writer writes; IMMEDIATE makes a transaction
        # take the write lock at BEGIN so that read-then-write races serialise.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        config["CONN_MAX_AGE"] = 60
    return config


def personal_key_errors(keys: list[str], index_key: str) -> list[str]:
    """Why the keys for personal data are unusable in production ([] when fine)."""
    from cryptography.fernet import Fernet

    errors = []
    if not keys:
        errors.append("SERVICEPARK_PERSONAL_DATA_KEYS must be set (comma-separated Fernet keys).")
    for key in keys:
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(
                "SERVICEPARK_PERSONAL_DATA_KEYS holds a value that is not a Fernet key "
                "(make one with `servicepark personal newkey`)."
            )
            break
    if not index_key or len(index_key) < 32:
        errors.append("SERVICEPARK_PERSONAL_INDEX_KEY must be a random value of 32+ chars.")
    return errors
