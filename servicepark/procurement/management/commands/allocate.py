"""`servicepark allocate --input IN.json --output OUT.json`: the award optimiser for what-if work.

Exit 0 with status "optimal", 1 with status "infeasible" (the reason is in OUT and on stderr),
2 when the input is unusable (nothing is written).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from servicepark.procurement.allocation import AllocationInputError, allocate, parse_problem


class Command(BaseCommand):
    help = "Choose applications to fund: exact optimum (HiGHS) and greedy, from a JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path)
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--lang", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            sys.exit(self._run(options["input"], options["output"]))

    def _run(self, source: Path, target: Path) -> int:
        try:
            data = json.loads(source.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            self.stderr.write(
                _("Cannot read %(path)s: %(err)s") % {"path": source, "err": exc.strerror}
            )
            return 2
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.stderr.write(
                _("%(path)s is not valid UTF-8 JSON: %(err)s") % {"path": source, "err": exc}
            )
            return 2
        except RecursionError:  # "[[[[…" nested deeper than Python recurses (found by fuzzing)
            self.stderr.write(_("%(path)s is nested too deeply.") % {"path": source})
            return 2
        try:
            problem = parse_problem(data)
        except AllocationInputError as exc:
            for problem_text in exc.problems:
                self.stderr.write(problem_text)
            return 2
        result = allocate(problem)
        target.write_text(
            json.dumps(result.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if result.status != "optimal":
            self.stderr.write(_("Infeasible: %(reason)s") % {"reason": result.reason})
            return 1
        chosen = result.optimal
        assert chosen is not None
        self.stdout.write(
            _("Optimal: %(n)d applications, score %(score)s, amount %(amount)s (greedy: %(g)s).")
            % {
                "n": len(chosen.selected),
                "score": chosen.total_score,
                "amount": chosen.total_amount,
                "g": result.greedy.total_score,
            }
        )
        return 0
