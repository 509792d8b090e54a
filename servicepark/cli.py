"""The `servicepark` command: Django's management commands under the project's own name.

`servicepark import …` maps to the `import_data` command (`import` is a Python keyword) and
`servicepark worker` to the task worker; everything else is passed through unchanged.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"import": "import_data", "worker": "db_worker"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
