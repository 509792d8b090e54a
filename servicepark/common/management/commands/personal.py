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
from servicepark.common.personal import EncryptedTextField, rewrite_stored, rotate


def encrypted_fields() -> list[tuple[Any, list[str]]]:
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def rekey() -> dict[str, int]:
    """Re-encrypt model by model, each in one transaction; returns rows rewritten per model."""
    counts: dict[str, int] = {}
    for model, names in encrypted_fields():
        columns = [model._meta.get_field(n).column for n in names]

        def change(tokens: tuple[str, ...]) -> tuple[str, ...] | None:
            return tuple(rotate(t) for t in tokens) if any(tokens) else None

        with transaction.atomic():
            done = rewrite_stored(connection, model._meta.db_table, columns, change)
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
