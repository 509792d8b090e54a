"""Personal data of individuals (beneficiaries, volunteers, people in organizations, experts):
encrypted at rest, masked when shown, found again through a keyed digest.

- Encryption: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with the keys in
  `SERVICEPARK_PERSONAL_DATA_KEYS`; the first key encrypts, all of them decrypt, so a key is
  rotated by putting a new one first and running `servicepark personal rekey`.
- Lookups: ciphertexts differ every time, so a field that must be matched (a person by phone,
  a voucher holder by ID number) keeps beside it an HMAC-SHA256 digest of the normalised value
  under `SERVICEPARK_PERSONAL_INDEX_KEY`, which does not change when the data keys rotate.
- Audit events never hold these values, only masks: the chain is append-only, so whatever
  entered it could never be purged.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - every Fernet token starts so (version byte 0x80 + timestamp)


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("SERVICEPARK_PERSONAL_DATA_KEYS is empty.")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SERVICEPARK_PERSONAL_DATA_KEYS must hold Fernet keys (32 url-safe base64 bytes); "
            "make one with `servicepark personal newkey`."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SERVICEPARK_PERSONAL_DATA_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "Stored personal data cannot be decrypted with SERVICEPARK_PERSONAL_DATA_KEYS: "
            "a key that encrypted it is missing."
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt under the first key (MultiFernet.rotate)."""
    return fernet().rotate(token.encode()).decode() if token else ""


def normalise(value: str) -> str:
    """What two spellings of one phone or ID number share: digits and X, upper-case."""
    return "".join(c for c in value.upper() if c.isdigit() or c == "X")


def digest(value: str, kind: str) -> str:
    """A keyed digest for matching without decrypting; "" for no value."""
    clean = normalise(value)
    if not clean:
        return ""
    key = settings.SERVICEPARK_PERSONAL_INDEX_KEY.encode()
    return hmac.new(key, f"{kind}:{clean}".encode(), hashlib.sha256).hexdigest()[:40]


def mask_phone(value: str) -> str:
    """138****0002; landlines keep the area code: 028-****3456."""
    if not value:
        return ""
    digits = normalise(value)
    if len(digits) < 7:
        return "*" * len(digits)
    if "-" in value:
        area, _sep, _rest = value.partition("-")
        return f"{area}-****{digits[-4:]}"
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(value: str) -> str:
    """510107********123X: the region and the check digits, never the birth date."""
    if not value:
        return ""
    clean = normalise(value)
    if len(clean) < 10:
        return "*" * len(clean)
    return f"{clean[:6]}{'*' * (len(clean) - 10)}{clean[-4:]}"


def mask_name(value: str) -> str:
    """张*, 欧阳**; Latin names keep their first letter."""
    value = value.strip()
    if len(value) <= 1:
        return value
    keep = 2 if len(value) >= 4 and all("\u4e00" <= c <= "\u9fff" for c in value) else 1
    return value[:keep] + "*" * (len(value) - keep)


MASKS = {"phone": mask_phone, "id_number": mask_id_number, "name": mask_name}


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python sees the plain value.

    Only `isnull` and exact comparison with "" make sense in queries: match on a digest
    field instead. `kind` names the mask used wherever the value is shown."""

    def __init__(self, *args: Any, kind: str = "phone", max_plain: int = 32, **kwargs: Any):
        self.kind, self.max_plain = kind, max_plain
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"], kwargs["max_plain"] = self.kind, self.max_plain
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return decrypt(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def mask(self, value: str) -> str:
        return MASKS[self.kind](value)


def rewrite_stored(
    connection: Any,
    table: str,
    columns: list[str],
    change: Callable[[tuple[str, ...]], tuple[str, ...] | None],
) -> int:
    """Rewrite stored values row by row, below the ORM (which would decrypt on reading):
    `change` gets a row's values of `columns` and returns the new ones, or None to leave the
    row alone. Returns how many rows were rewritten. Used by migrations and key rotation."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    done = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {names} FROM {quote(table)}")  # noqa: S608 - names are ours
        for pk, *values in cursor.fetchall():
            new = change(tuple(v or "" for v in values))
            if new is None:
                continue
            cursor.execute(
                f"UPDATE {quote(table)} SET {sets} WHERE id = %s",  # noqa: S608
                [*new, pk],
            )
            done += 1
    return done


def encrypt_column(
    schema_editor: Any, table: str, column: str, digest_column: str = "", kind: str = "phone"
) -> int:
    """For migrations: encrypt a column's plain values in place (and fill its digest).
    Values that are already tokens are left alone, so running it twice changes nothing."""

    def change(row: tuple[str, ...]) -> tuple[str, ...] | None:
        value = row[0]
        if not value or value.startswith(TOKEN_PREFIX):
            return None
        return (encrypt(value), digest(value, kind)) if digest_column else (encrypt(value),)

    columns = [column, digest_column] if digest_column else [column]
    return rewrite_stored(schema_editor.connection, table, columns, change)
