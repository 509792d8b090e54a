"""B6's fixed parameters: the date and seed of the run, its goals, and the shares the synthetic
data are drawn with; with the formatting of days, timestamps and amounts for COPY."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

GOAL_RATIO = 3.0
GOAL_SECONDS = 120.0
SEED = 20261222
AS_OF = dt.date(2026, 11, 22)
REPORTS_FROM = 2024  # two tracked years (2024, 2025) as of AS_OF: the two-year rules apply
YEARS = (2024, 2025)
PASSWORD = "bench-pass-2026"  # noqa: S105 - a throwaway user of a throwaway database

# Shares of the events left after the annual reports (one per organization and year owed).
SHARES = (
    ("sanctions", 0.05),
    ("letters", 0.12),
    ("rectifications", 0.06),
    ("listings", 0.05),
    ("grades", 0.07),
    ("change_requests", 0.10),
    ("memberships", 0.04),
    ("procurement", 0.51),
)
SANCTION_KINDS = (
    ("warning", 0.50),
    ("fine", 0.35),
    ("court_debtor", 0.05),
    ("no_party_org", 0.04),
    ("suspension", 0.03),
    ("fundraising_lapsed", 0.02),
    ("revoked_fraud", 0.005),
    ("certificate_revoked", 0.005),
)
# Listings recorded by officials (not by the scheduled steps): (trigger, list, needs rect., share)
MANUAL_LISTINGS = (
    ("no_party_org", "abnormal", True, 0.35),
    ("fundraising_lapsed", "abnormal", True, 0.15),
    ("minor_penalty", "abnormal", False, 0.20),
    ("court_debtor", "serious", False, 0.15),
    ("certificate_revoked", "serious", False, 0.05),
    ("revoked_fraud", "serious", False, 0.05),
    ("suspension", "serious", False, 0.05),
)
METHODS = (
    ("public_tender", 0.45),
    ("competitive_consultation", 0.15),
    ("competitive_negotiation", 0.05),
    ("inquiry", 0.05),
    ("single_source", 0.05),
    ("invitational_tender", 0.05),
    ("grant", 0.20),
)
PURCHASER_KINDS = (
    ("civil_affairs", "民政局"),
    ("disabled_federation", "残疾人联合会"),
    ("education", "教育局"),
    ("health", "卫生健康委员会"),
    ("human_resources", "人力资源和社会保障局"),
    ("subdistrict", "街道办事处"),
)
GRADE_BANDS = ((950, "5A"), (900, "4A"), (800, "3A"), (700, "2A"), (600, "1A"))
STATUS_LEGAL = (("registered", 0.97), ("suspended", 0.01), ("deregistered", 0.015))
ROLES = (
    ("legal_representative", 0.4),
    ("board_member", 0.3),
    ("director", 0.2),
    ("supervisor", 0.1),
)


def pick(rng: random.Random, table: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    """A row of `table`, drawn by its last element (the shares)."""
    r, acc = rng.random(), 0.0
    for row in table:
        acc += row[-1]
        if r < acc:
            return row
    return table[0]


def day(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def stamp(ordinal: int, hour: int = 10) -> str:
    return f"{dt.date.fromordinal(ordinal).isoformat()} {hour:02d}:00:00+08"


def money(value: float) -> str:
    return f"{value:.2f}"


def ord_of(year: int, month: int, dom: int) -> int:
    return dt.date(year, month, dom).toordinal()


TODAY = AS_OF.toordinal()
