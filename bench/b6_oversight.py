"""B6: the oversight engine's full recompute and incremental update.

    DATABASE_URL=postgres://... .venv/bin/python bench/b6_oversight.py --orgs 1000000 \
        --events 5000000 --workdir /tmp/x --out bench/results/b6.json

The database must be migrated and hold no organizations. Steps:
1. generate ORGS organizations and EVENTS rows in the tables the credit-list steps and the rules
   read (annual reports for 2024 and 2025, sanctions, registered letters, rectification orders,
   credit listings, grade assessments, change requests, people's roles (memberships), and
   whole procurement chains: calls, applications, decisions, awards, contracts, milestones,
   reports, evaluations), as tab-separated files in WORKDIR, then COPY them in, in a child
   process (timed separately; not part of the figures), then ANALYZE;
2. with SERVICEPARK_ANNUAL_REPORTS_FROM = 2024, run `servicepark.oversight.engine.run` for the
   fixed date AS_OF twice: the first run lists, signals and scores; the second (steady state)
   must create nothing. Wall time, peak RSS, and where the time goes: each credit step, each
   rule's `evaluate` and the storing of its signals, the scores, the refreshes the run's own
   saves trigger, and the SQL statements and result fetches of each (timed by wrapping them
   inside the real run; the engine itself is not changed);
3. the baseline, between the two runs: one aggregate scan per table the steps and rules read
   (`SELECT count(*), sum(n) FROM (SELECT <organization column>, count(*) n FROM t GROUP BY 1)`),
   all tables one after the other, median of 3;
4. EXPLAIN (ANALYZE, BUFFERS) of the statements that took longest in the steady-state run;
5. `engine.refresh({org}, models=…)` after INCREMENTAL realistic events written through the
   ORM (an annual report filed, a sanction, a returned letter, a milestone delivered, a new
   legal representative), one organization each, with the models the event saved (as the
   post-save hook passes them: only the steps and rules watching them run); then
   `engine.refresh({org})` of the same organization with every step and rule, for comparison.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.b6.cli import main

if __name__ == "__main__":
    sys.exit(main(description=__doc__.splitlines()[0]))
