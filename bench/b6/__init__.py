"""B6, the oversight benchmark, in parts (run it as bench/b6_oversight.py, which documents the
steps): params, spool (the tables and their COPY), organizations + facts + procurement (the
synthetic data), generate (step 1, in a child process), probe and runs (steps 2 and 4), baseline
(step 3), incremental (step 5) and cli (the command line and the JSON result)."""
