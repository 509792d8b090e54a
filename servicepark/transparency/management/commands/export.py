"""`servicepark export ocds|360giving --out FILE [--lang L] [--uri URI]`: the open-data files.

Exit 0 when the file was written, 1 when there is nothing to publish (both standards require at
least one release or grant; no file is written), 2 when FILE cannot be written (no file either).
The file appears whole or not at all: it is written beside FILE and renamed into place.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from servicepark.transparency.exports.files import Discard, atomic_text_file
from servicepark.transparency.exports.giving import write_grant_package
from servicepark.transparency.exports.ocds import write_release_package


class Command(BaseCommand):
    help = "Open data: write an OCDS 1.1 release package or a 360Giving 1.4 grant package."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("standard", choices=["ocds", "360giving"])
        parser.add_argument("--out", type=Path, required=True, help="the file to write")
        parser.add_argument("--lang", default=None, help="language of messages (zh-hans, en)")
        parser.add_argument(
            "--uri", default="", help="OCDS: where the package will be published (package uri)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            sys.exit(self._export(options))

    def _export(self, options: dict[str, Any]) -> int:
        path: Path = options["out"]
        written = ""
        try:
            with atomic_text_file(path) as out:
                if options["standard"] == "ocds":
                    uri = options["uri"] or f"urn:uuid:{uuid.uuid4()}"
                    counts = write_release_package(out, uri=uri)
                    if not counts.releases:
                        raise Discard
                    written = _(
                        "Wrote %(releases)d releases of %(processes)d contracting processes "
                        "to %(path)s."
                    ) % {"releases": counts.releases, "processes": counts.processes, "path": path}
                else:
                    grants = write_grant_package(out)
                    if not grants:
                        raise Discard
                    written = _("Wrote %(grants)d grants to %(path)s.") % {
                        "grants": grants,
                        "path": path,
                    }
        except OSError as exc:
            self.stderr.write(
                _("Cannot write %(path)s: %(reason)s. Nothing was written.")
                % {"path": path, "reason": exc.strerror or exc}
            )
            return 2
        if not written:
            if options["standard"] == "ocds":
                why = _("Nothing to publish yet: no call is published.")
            else:
                why = _("Nothing to publish yet: no grant call has final awards.")
            self.stderr.write(why + " " + _("No file was written."))
            return 1
        self.stdout.write(written)
        return 0
