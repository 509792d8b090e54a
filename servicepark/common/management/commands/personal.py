"""`servicepark personal newkey` prints a new data key; `servicepark personal rekey`
re-encrypts every stored phone and ID number under the first key of
SERVICEPARK_PERSONAL_DATA_KEYS, after which older keys can be dropped."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from servicepark.common.actors import SystemActor
from servicepark.common.audit import audit_record
from servicepark.common.personal import EncryptedTextField, rotate


def encrypted_fields() -> list[tuple[Any, list[str]]]:
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def rekey() -> dict[str, int]:
    """Re-encrypt, model by model, in batches; returns rows rewritten per model."""
    counts: dict[str, int] = {}
    for model, names in encrypted_fields():
        done = 0
        # The ORM would decrypt on reading; rotation works on the stored tokens themselves.
        table = model._meta.db_table
        quote = connection.ops.quote_name
        columns = ", ".join(quote(model._meta.get_field(n).column) for n in names)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {columns} FROM {quote(table)}")  # noqa: S608
            for pk, *tokens in cursor.fetchall():
                if not any(tokens):
                    continue
                sets = ", ".join(f"{quote(model._meta.get_field(n).column)} = %s" for n in names)
                cursor.execute(
                    f"UPDATE {quote(table)} SET {sets} WHERE id = %s",  # noqa: S608
                    [*[rotate(t or "") for t in tokens], pk],
                )
                done += 1
            counts[model._meta.label_lower] = done
            audit_record(
                actor=SystemActor("personal"),
                action="personal.rekey",
                object_type=model._meta.label_lower,
                after={"rows": done, "fields": names},
            )
    return counts


class Command(BaseCommand):
    help = "Personal-data keys: `newkey` prints a new key, `rekey` re-encrypts under the first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["newkey", "rekey"])
        parser.add_argument("--lang", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            if options["action"] == "newkey":
                self.stdout.write(Fernet.generate_key().decode())
                return
            for label, n in rekey().items():
                self.stdout.write(
                    _("%(model)s: %(n)d rows re-encrypted") % {"model": label, "n": n}
                )
