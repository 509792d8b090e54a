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

import argparse
import array
import datetime as dt
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    RESULTS,
    ROOT,
    OrgGenerator,
    django_setup,
    loadavg,
    machine_info,
    summary_ms,
    wait_for_quiet,
    write_json,
)

GOAL_RATIO = 3.0
GOAL_SECONDS = 120.0
SEED = 20261222
AS_OF = dt.date(2026, 11, 22)
REPORTS_FROM = 2024  # two tracked years (2024, 2025) as of AS_OF: the two-year rules apply
YEARS = (2024, 2025)
N = "\\N"  # NULL in COPY's text format
TOP_STATEMENTS = 8
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


class Spool:
    """One table's rows as a tab-separated file for COPY (values must hold no tab, newline or
    backslash; None is NULL)."""

    def __init__(self, workdir: Path, table: str, columns: str) -> None:
        self.table = table
        self.columns = columns
        self.path = workdir / f"{table}.tsv"
        self.fh = self.path.open("w", encoding="utf-8", buffering=1 << 20)
        self.rows = 0

    def add(self, *values: Any) -> int:
        """Write a row; returns its id when the first column is the id."""
        self.fh.write("\t".join([N if v is None else str(v) for v in values]))
        self.fh.write("\n")
        self.rows += 1
        return self.rows

    @property
    def next_id(self) -> int:
        return self.rows + 1

    def close(self) -> None:
        self.fh.close()


# Every table that gets rows, in the order they are loaded (referenced tables first), with
# its columns, and whether its rows count as events.
TABLES: tuple[tuple[str, str, bool], ...] = (
    (
        "registry_organization",
        "id, created_at, updated_at, uscc, filing_number, name, name_en, org_type, "
        "registration_kind, address, legal_representative, supervising_unit, founded_on, "
        "fields, status, phone, email, website, description, name_pinyin, name_initials, "
        "search_tokens, division_code, umbrella_id, converted_on",
        False,
    ),
    (
        "oversight_annualreport",
        "id, created_at, updated_at, organization_id, year, revenue_government, revenue_grants, "
        "revenue_donations, revenue_fees, revenue_other, expenses, assets, staff, volunteers, "
        "activities, governance_changes, submitted_at, supervisor_seen_on, result, "
        "result_reasons, reviewed_at",
        True,
    ),
    (
        "oversight_sanction",
        "id, created_at, updated_at, organization_id, kind, amount, decided_on, reference, facts",
        True,
    ),
    (
        "oversight_registeredletter",
        "id, created_at, updated_at, organization_id, sent_on, address, tracking_number, "
        "signed_on, returned_on",
        True,
    ),
    (
        "oversight_rectification",
        'id, created_at, updated_at, organization_id, "order", deadline, state, response, '
        "submitted_at, verification, verified_at",
        True,
    ),
    (
        "oversight_creditlisting",
        "id, created_at, updated_at, organization_id, list, trigger, source, evidence, "
        "listed_on, needs_rectification, fulfilled_on, removal_request, removed_on, removal, "
        "removal_evidence",
        True,
    ),
    (
        "oversight_gradeassessment",
        "id, created_at, updated_at, organization_id, applied_on, state, exclusion_reasons, "
        "total, grade, valid_from, valid_until, reminded_on",
        True,
    ),
    (
        "registry_changerequest",
        "id, created_at, updated_at, organization_id, requested_by_id, changes, previous, state, "
        "decided_by_id, decided_at, reason",
        True,
    ),
    ("registry_person", "id, created_at, updated_at, name, phone, phone_digest", False),
    (
        "registry_membership",
        "id, created_at, updated_at, person_id, organization_id, role, started_on, ended_on",
        True,
    ),
    ("procurement_purchaser", "id, created_at, updated_at, name, kind, division_code, uscc", False),
    ("procurement_catalogue", "id, created_at, updated_at, purchaser_id, year, state", False),
    (
        "procurement_catalogueentry",
        "id, created_at, updated_at, catalogue_id, parent_id, tier, code, name, description, "
        "fields, budget, open_to_social_orgs",
        False,
    ),
    (
        "procurement_call",
        "id, created_at, updated_at, purchaser_id, kind, catalogue_item_id, off_catalogue_reason, "
        "method, restriction_reason, title, description, fields, total_budget, per_project_min, "
        "per_project_cap, matching_ratio, eligibility, required_documents, rubric, jury_size, "
        "opens_at, closes_at, objection_days, state, reserved, committed, paid",
        True,
    ),
    (
        "procurement_application",
        "id, created_at, updated_at, call_id, organization_id, applicant_id, state, content, "
        "requested_total, matching_total, field, eligible, screening_reasons, screening, "
        "screening_note, jury_comment",
        True,
    ),
    (
        "procurement_decision",
        "id, created_at, updated_at, call_id, round, state, limits, ranking, optimiser, "
        "total_amount, published_at, objection_ends_at, finalized_at",
        True,
    ),
    (
        "procurement_award",
        "id, created_at, updated_at, decision_id, application_id, amount, score, rank",
        True,
    ),
    (
        "procurement_contract",
        "id, created_at, updated_at, award_id, call_id, purchaser_id, provider_id, payee_id, "
        "number, title, service_content, beneficiaries, quantities, price, voucher_budget, "
        "starts_on, ends_on, continuous, continuous_reason, budget_cover, matching_declared, "
        "matching_received, governance, state, purchaser_signed_at, provider_signed_at, paid",
        True,
    ),
    (
        "procurement_milestone",
        "id, created_at, updated_at, contract_id, seq, title, deliverable, due_on, amount, "
        "state, delivered_note, accepted_at",
        True,
    ),
    (
        "procurement_report",
        "id, created_at, updated_at, contract_id, kind, due_on, summary, submitted_at, "
        "reminded_at, overdue_since",
        True,
    ),
    (
        "procurement_evaluation",
        "id, created_at, updated_at, contract_id, evaluator_id, scores, total, grade, comment, "
        "submitted_at",
        True,
    ),
)


class Generator:
    """Deterministic organizations and events, written to one file per table."""

    def __init__(self, orgs: int, events: int, workdir: Path, user_id: int, seed: int = SEED):
        from servicepark.registry.models.choices import FIELD_BITS

        self.rng = random.Random(seed)
        self.orgs = orgs
        self.events = events
        self.user_id = user_id
        self.bits = FIELD_BITS
        self.org_gen = OrgGenerator(seed)
        self.spools = {t: Spool(workdir, t, cols) for t, cols, _e in TABLES}
        # Per organization (index = id): type, founding day, in standing (owes reports).
        self.org_type = array.array("b", [0]) * (orgs + 1)
        self.founded = array.array("l", [0]) * (orgs + 1)
        self.legal = array.array("l")  # legally registered and in standing
        self.troubled: list[int] = []
        # Groups of organizations run by the same person with the same phone.
        self.clusters: list[list[int]] = []
        self.type_codes = ("social_group", "social_service_agency", "foundation", "other")

    def s(self, table: str) -> Spool:
        return self.spools[table]

    # --- organizations -----------------------------------------------------------------------

    def organizations(self) -> None:
        rng, gen = self.rng, self.org_gen
        orgs = self.s("registry_organization")
        umbrella_ids: dict[str, int] = {}
        shared_people: deque[tuple[str, str, list[int]]] = deque(maxlen=2000)
        shared_addresses: deque[str] = deque(maxlen=500)
        first, span = ord_of(2000, 1, 1), TODAY - 30 - ord_of(2000, 1, 1)
        units = ("区民政局", "区文化和旅游局", "区教育局", "区卫生健康局", "区科学技术协会")
        for _ in range(self.orgs):
            row = gen.row()
            uscc, filing, name, _en, org_type, kind, division, address, person = row[:9]
            row_fields, umbrella, phone = row[10:13]
            oid = orgs.next_id
            if uscc and gen.umbrellas and gen.umbrellas[-1][0] == uscc:
                umbrella_ids[uscc] = oid
            legal = kind in ("registered", "direct")
            status = pick(rng, STATUS_LEGAL)[0] if legal else "filed"
            founded = first + rng.randrange(span)
            converted = None
            if legal and org_type == "social_service_agency" and rng.random() < 0.025:
                converted = day(founded)
            legal = legal and status in ("registered", "suspended")
            r = rng.random()
            if r < 0.02 and shared_people:  # one person runs several organizations
                person, phone, cluster = rng.choice(shared_people)
                if legal:
                    cluster.append(oid)
            elif r < 0.03 and legal:
                shared_people.append((person, phone, [oid]))
                self.clusters.append(shared_people[-1][2])
            r = rng.random()
            if r < 0.01 and shared_addresses:  # many organizations at one address
                address = rng.choice(shared_addresses)
            elif r < 0.015:
                shared_addresses.append(address)
            mask = 0
            for code in row_fields.split(";"):
                mask |= self.bits[code]
            created = stamp(founded)
            orgs.add(
                oid,
                created,
                created,
                uscc or None,
                filing or None,
                name,
                "",
                org_type,
                kind,
                address,
                person,
                rng.choice(units) if kind == "registered" else "",
                day(founded),
                mask,
                status,
                phone,
                "",
                "",
                "",
                "",
                "",
                "",
                division,
                umbrella_ids[umbrella] if umbrella else None,
                converted,
            )
            self.org_type[oid] = self.type_codes.index(org_type)
            self.founded[oid] = founded
            if legal:
                self.legal.append(oid)
        self.clusters = [c for c in self.clusters if len(c) > 1]
        self.troubled = rng.sample(list(self.legal), max(10, len(self.legal) // 50))

    def some_org(self, troubled_share: float = 0.0) -> int:
        if troubled_share and self.rng.random() < troubled_share:
            return self.rng.choice(self.troubled)
        return self.legal[self.rng.randrange(len(self.legal))]

    # --- annual reports ----------------------------------------------------------------------

    def annual_reports(self) -> None:
        from servicepark.oversight.deadlines import report_deadline

        rng = self.rng
        reports = self.s("oversight_annualreport")
        deadlines = {
            (t, y): report_deadline(self.type_codes[t], y).toordinal()
            for t in range(4)
            for y in YEARS
        }
        for oid in self.legal:
            t = self.org_type[oid]
            r = rng.random()
            missing = {2024, 2025} if r < 0.01 else {2025} if r < 0.03 else set()
            if 0.03 <= r < 0.04:
                missing = {2024}
            late = {2025} if 0.04 <= r < 0.047 else {2024} if 0.047 <= r < 0.05 else set()
            dependent = rng.random() < 0.05
            jump = rng.random() < 0.005
            total = 10 ** rng.uniform(4.5, 6.7)
            for year in YEARS:
                if year in missing or self.founded[oid] > ord_of(year, 12, 31):
                    continue
                due = deadlines[(t, year)]
                opens = ord_of(year + 1, 1, 10)
                if year in late:
                    filed = min(due + rng.randint(5, 150), TODAY - 2)
                else:
                    filed = opens + rng.randrange(max(1, due - 2 - opens))
                if year == 2025:
                    total *= rng.uniform(4, 10) if jump else rng.uniform(0.8, 1.3)
                share = rng.uniform(0.82, 0.98) if dependent else rng.uniform(0, 0.6)
                government = total * share
                rest = total - government
                parts = [rng.random() for _ in range(4)]
                scale = rest / sum(parts)
                grants, donations, fees, other = (p * scale for p in parts)
                reviewed = year == 2024 or rng.random() < 0.5
                result = pick(rng, (("qualified", 0.85), ("basic", 0.10), ("failed", 0.05)))[0]
                seen = None
                if t == 0 and year not in late:
                    seen = day(min(filed, ord_of(year + 1, 3, 31)))
                reports.add(
                    reports.next_id,
                    stamp(filed),
                    stamp(filed),
                    oid,
                    year,
                    money(government),
                    money(grants),
                    money(donations),
                    money(fees),
                    money(other),
                    money(total * rng.uniform(0.7, 1.05)),
                    money(rng.uniform(1e4, 2e6)),
                    rng.randrange(50),
                    rng.randrange(500),
                    f"{year}年开展社区服务活动{rng.randint(3, 80)}场",
                    "法定代表人变更" if rng.random() < 0.02 else "",
                    stamp(filed),
                    seen,
                    result if reviewed else "",
                    "财务制度不健全" if reviewed and result == "failed" else "",
                    stamp(min(filed + 30, TODAY - 1)) if reviewed else None,
                )

    # --- oversight facts ---------------------------------------------------------------------

    def sanctions(self, count: int) -> None:
        rng = self.rng
        out = self.s("oversight_sanction")
        start = ord_of(2021, 1, 1)
        for _ in range(count):
            kind = pick(rng, SANCTION_KINDS)[0]
            amount = None
            if kind == "fine":
                r = rng.random()
                amount = money(
                    rng.uniform(1e3, 2e4)
                    if r < 0.6
                    else rng.uniform(2e4, 49_999)
                    if r < 0.85
                    else rng.uniform(5e4, 3e5)
                )
            decided = start + rng.randrange(TODAY - start)
            sid = out.next_id
            out.add(
                sid,
                stamp(decided),
                stamp(decided),
                self.some_org(0.6),
                kind,
                amount,
                day(decided),
                f"民罚字〔{dt.date.fromordinal(decided).year}〕第{sid}号",
                "未按规定开展活动，经调查属实",
            )

    def letters(self, count: int) -> None:
        rng = self.rng
        out = self.s("oversight_registeredletter")
        start = ord_of(2023, 1, 1)
        while out.rows < count:
            oid = self.some_org(0.3)
            unreachable = rng.random() < 0.12
            sent = start + rng.randrange(TODAY - 60 - start)
            for _ in range(rng.randint(1, 4)):
                if out.rows >= count or sent >= TODAY - 3:
                    break
                signed = returned = None
                r = rng.random()
                if unreachable or r < 0.08:
                    returned = day(min(sent + rng.randint(7, 20), TODAY - 1))
                elif r < 0.98 or sent < TODAY - 30:
                    signed = day(min(sent + rng.randint(2, 10), TODAY - 1))
                out.add(
                    out.next_id,
                    stamp(sent),
                    stamp(sent),
                    oid,
                    day(sent),
                    f"登记住所{oid}号",
                    f"EMS{out.next_id:011d}",
                    signed,
                    returned,
                )
                sent += rng.randint(20, 200)

    def rectifications(self, count: int) -> None:
        rng = self.rng
        out = self.s("oversight_rectification")
        start = ord_of(2024, 1, 1)
        for _ in range(count):
            ordered = start + rng.randrange(TODAY - 20 - start)
            deadline = ordered + rng.randint(30, 120)
            state = pick(rng, (("ordered", 0.4), ("submitted", 0.2), ("verified", 0.4)))[0]
            answered = min(deadline + rng.randint(-25, 10), TODAY - 1)
            out.add(
                out.next_id,
                stamp(ordered),
                stamp(ordered),
                self.some_org(0.5),
                "限期整改财务管理问题",
                day(deadline),
                state,
                "" if state == "ordered" else "已完成整改",
                None if state == "ordered" else stamp(answered),
                "已核实" if state == "verified" else "",
                stamp(min(answered + 5, TODAY - 1)) if state == "verified" else None,
            )

    def listings(self, count: int) -> None:
        """Entries officials recorded by hand (the steps' own sources never collide)."""
        rng = self.rng
        out = self.s("oversight_creditlisting")
        start = ord_of(2022, 1, 1)
        for _ in range(count):
            trigger, list_, rect, _share = pick(rng, MANUAL_LISTINGS)
            listed = start + rng.randrange(TODAY - start)
            fulfilled = removed = None
            removal = ""
            if rect and rng.random() < 0.1:
                fulfilled = min(listed + rng.randint(10, 200), TODAY - 1)
            if rng.random() < 0.15:
                removed = min(listed + rng.randint(30, 400), TODAY - 1)
                removal = "annulled" if fulfilled is None else "fulfilled"
            lid = out.next_id
            out.add(
                lid,
                stamp(listed),
                stamp(listed),
                self.some_org(0.5),
                list_,
                trigger,
                f"manual:{lid}",
                "登记管理机关认定",
                day(listed),
                "t" if rect else "f",
                day(fulfilled) if fulfilled else None,
                "",
                day(removed) if removed else None,
                removal,
                "经核实" if removed else "",
            )

    def grades(self, count: int) -> None:
        rng = self.rng
        out = self.s("oversight_gradeassessment")
        start = ord_of(2020, 6, 1)
        for _ in range(count):
            oid = self.some_org()
            state = pick(
                rng,
                (("graded", 0.70), ("applied", 0.15), ("excluded", 0.05), ("not_graded", 0.10)),
            )[0]
            frm = start + rng.randrange(TODAY - 30 - start)
            applied = frm - 90 if state != "applied" else TODAY - rng.randint(5, 120)
            total = grade = valid_from = valid_until = reminded = None
            if state == "graded":
                total = rng.uniform(600, 1000)
                grade = next(g for floor, g in GRADE_BANDS if total >= floor)
                valid_from = day(frm)
                valid_until = day(frm + 5 * 365)
                if frm + 5 * 365 - 180 < TODAY - 2:  # reminded by the earlier daily runs
                    reminded = day(frm + 5 * 365 - 180)
            elif state == "not_graded":
                total = rng.uniform(400, 599)
            out.add(
                out.next_id,
                stamp(applied),
                stamp(applied),
                oid,
                day(applied),
                state,
                '["年检不合格"]' if state == "excluded" else "[]",
                f"{total:.1f}" if total is not None else None,
                grade or "",
                valid_from,
                valid_until,
                reminded,
            )

    def change_requests(self, count: int) -> None:
        rng, gen = self.rng, self.org_gen
        out = self.s("registry_changerequest")
        start = ord_of(2022, 1, 1)
        while out.rows < count:
            oid = self.some_org(0.2)
            burst = rng.random() < 0.25
            when = start + rng.randrange(TODAY - 30 - start)
            for _ in range(rng.randint(2, 3) if burst else 1):
                if out.rows >= count or when >= TODAY - 1:
                    break
                if burst or rng.random() < 0.7:
                    field, old, new = "legal_representative", gen._person(), gen._person()
                else:
                    field = "address"
                    old, new = f"原址{rng.randrange(1, 400)}号", f"新址{rng.randrange(1, 400)}号"
                state = pick(rng, (("approved", 0.75), ("rejected", 0.10), ("pending", 0.15)))[0]
                decided = min(when + rng.randint(5, 20), TODAY - 1)
                out.add(
                    out.next_id,
                    stamp(when),
                    stamp(decided if state != "pending" else when),
                    oid,
                    self.user_id,
                    json.dumps({field: new}, ensure_ascii=False),
                    json.dumps({field: old}, ensure_ascii=False),
                    state,
                    self.user_id if state != "pending" else None,
                    stamp(decided) if state != "pending" else None,
                    "材料不全" if state == "rejected" else "",
                )
                when += rng.randint(60, 300)

    def memberships(self, count: int) -> None:
        """People in leading roles; some hold roles in several organizations."""
        rng, gen = self.rng, self.org_gen
        people = self.s("registry_person")
        out = self.s("registry_membership")
        pool: deque[int] = deque(maxlen=5000)
        held: set[tuple[int, int, str]] = set()
        created = stamp(ord_of(2024, 6, 1))
        start = ord_of(2015, 1, 1)
        while out.rows < count:
            org = self.some_org()
            role = pick(rng, ROLES)[0]
            if pool and rng.random() < 0.15:
                person = rng.choice(pool)
                if (person, org, role) in held:
                    continue
                held.add((person, org, role))
            else:
                # Phones are encrypted with their digest beside them (common.personal): no rule
                # reads a person's phone, so none is stored (drawn all the same, to keep the
                # random sequence and so the data of earlier runs).
                name, _phone = gen._person(), gen._phone("11")
                person = people.add(people.next_id, created, created, name, "", "")
                if rng.random() < 0.1:
                    pool.append(person)
            started = start + rng.randrange(TODAY - start)
            ended = None
            if rng.random() < 0.1:
                ended = day(min(started + rng.randint(100, 2000), TODAY - 1))
            out.add(out.next_id, created, created, person, org, role, day(started), ended)

    # --- procurement -------------------------------------------------------------------------

    def purchasers(self) -> tuple[list[int], dict[tuple[int, int], list[int]]]:
        rng = self.rng
        purchasers = self.s("procurement_purchaser")
        catalogues = self.s("procurement_catalogue")
        entries = self.s("procurement_catalogueentry")
        created = stamp(ord_of(2023, 12, 1))
        ids: list[int] = []
        items: dict[tuple[int, int], list[int]] = {}
        counties = self.org_gen.counties
        for i in range(max(10, self.orgs // 500)):
            place = rng.choice(counties)
            kind, label = PURCHASER_KINDS[i % len(PURCHASER_KINDS)]
            pid = purchasers.add(
                purchasers.next_id,
                created,
                created,
                f"{place.county}{label}{i}",
                kind,
                place.code,
                "",
            )
            ids.append(pid)
            for year in (2024, 2025, 2026):
                cid = catalogues.add(catalogues.next_id, created, created, pid, year, "published")
                top = entries.add(
                    entries.next_id,
                    created,
                    created,
                    cid,
                    None,
                    1,
                    "A01",
                    "公共服务",
                    "",
                    0,
                    None,
                    "t",
                )
                sub = entries.add(
                    entries.next_id,
                    created,
                    created,
                    cid,
                    top,
                    2,
                    "A0101",
                    "社会服务",
                    "",
                    0,
                    None,
                    "t",
                )
                items[(pid, year)] = [
                    entries.add(
                        entries.next_id,
                        created,
                        created,
                        cid,
                        sub,
                        3,
                        f"A0101{j:02d}",
                        f"服务项目{j}",
                        "",
                        1 << j,
                        "5000000.00",
                        "t",
                    )
                    for j in range(6)
                ]
        return ids, items

    def procurement(self, budget: int) -> None:
        rng = self.rng
        purchasers, items = self.purchasers()
        favoured = {p: [self.some_org() for _ in range(3)] for p in purchasers}
        associations = [self.some_org() for _ in range(max(5, self.orgs // 20000))]
        evaluators = [self.some_org() for _ in range(max(5, self.orgs // 10000))]
        tables = (
            "procurement_call",
            "procurement_application",
            "procurement_decision",
            "procurement_award",
            "procurement_contract",
            "procurement_milestone",
            "procurement_report",
            "procurement_evaluation",
        )
        spools = [self.s(t) for t in tables]
        calls, apps, decisions, awards, contracts, milestones, reports, evaluations = spools
        start = ord_of(2024, 1, 1)
        while sum(s.rows for s in spools) < budget:
            purchaser = rng.choice(purchasers)
            method = pick(rng, METHODS)[0]
            opens = start + rng.randrange(ord_of(2026, 9, 30) - start)
            closes = opens + 30
            year = dt.date.fromordinal(opens).year
            large = rng.random() < 0.1
            budget_y = round(rng.uniform(5e5, 3e6) if large else rng.uniform(5e4, 5e5), -2)
            from_catalogue = method != "grant" and rng.random() < 0.7
            decided = closes + 20 < TODAY and rng.random() < 0.9
            price = round(budget_y * rng.uniform(0.8, 1.0), 2) if decided else 0.0
            signed = closes + 25
            starts = closes + 30
            continuous = rng.random() < 0.05
            ends = starts + (rng.randint(730, 1095) if continuous else 364)
            if not decided:
                state = None
            elif ends < TODAY:
                state = pick(rng, (("completed", 0.92), ("terminated", 0.03), ("active", 0.05)))[0]
            elif starts <= TODAY:
                state = "active" if rng.random() < 0.95 else "suspended"
            else:
                state = "signed"
            call_id = calls.add(
                calls.next_id,
                stamp(opens - 5),
                stamp(opens - 5),
                purchaser,
                "grant" if method == "grant" else "purchase",
                rng.choice(items[(purchaser, year)]) if from_catalogue else None,
                "" if from_catalogue else "试点项目",
                method,
                "仅一家机构具备资质" if method in ("single_source", "invitational_tender") else "",
                f"政府购买服务项目{calls.next_id}",
                "为辖区居民提供专业社会服务。",
                0,
                money(budget_y),
                "0.00",
                money(budget_y),
                "0.0000",
                "{}",
                "[]",
                "[]",
                3,
                stamp(opens, 9),
                stamp(closes, 17),
                7,
                "published",
                "0.00",
                money(price) if decided else "0.00",
                "0.00",
            )
            winner = rng.choice(favoured[purchaser]) if rng.random() < 0.3 else self.some_org()
            bidders = [winner]
            if method != "single_source" and self.clusters and rng.random() < 0.04:
                bidders = rng.choice(self.clusters)[:2]  # not independent of each other
                winner = bidders[0]
            elif method != "single_source":
                for _ in range(rng.choice((0, 1, 1, 2, 3))):
                    other = self.some_org()
                    if other not in bidders:
                        bidders.append(other)
            winner_app = applicant = 0
            for oid in bidders:
                via = rng.choice(associations) if rng.random() < 0.05 else oid
                app_id = apps.add(
                    apps.next_id,
                    stamp(opens + 10),
                    stamp(opens + 10),
                    call_id,
                    oid,
                    via,
                    "submitted",
                    '{"title": "服务实施方案"}',
                    money(budget_y),
                    "0.00",
                    "",
                    "t",
                    "[]",
                    "passed",
                    "",
                    "",
                )
                if oid == winner:
                    winner_app, applicant = app_id, via
            if not decided:
                continue
            decision = decisions.add(
                decisions.next_id,
                stamp(closes + 5),
                stamp(closes + 20),
                call_id,
                1,
                "final",
                "{}",
                "[]",
                "{}",
                money(price),
                stamp(closes + 10),
                stamp(closes + 17),
                stamp(closes + 20),
            )
            award = awards.add(
                awards.next_id,
                stamp(closes + 5),
                stamp(closes + 5),
                decision,
                winner_app,
                money(price),
                f"{rng.uniform(60, 98):.2f}",
                1,
            )
            contract = contracts.add(
                contracts.next_id,
                stamp(signed - 2),
                stamp(min(ends, TODAY - 1)),
                award,
                call_id,
                purchaser,
                winner,
                applicant,
                f"B6-{contracts.next_id:08d}",
                f"政府购买服务项目{call_id}服务合同",
                "上门服务",
                "辖区居民",
                "每月 100 人次",
                money(price),
                "0.00",
                day(starts),
                day(ends),
                "t" if continuous else "f",
                "连续性服务" if continuous else "",
                "",
                "0.00",
                "0.00",
                "{}",
                state,
                stamp(signed),
                stamp(signed),
                "0.00",
            )
            for seq, due in ((1, starts + 150), (2, ends)):
                if due < TODAY - 30:
                    m_state = pick(rng, (("accepted", 0.9), ("submitted", 0.04), ("pending", 0.06)))
                elif due < TODAY:
                    m_state = pick(rng, (("submitted", 0.5), ("pending", 0.5)))
                else:
                    m_state = ("pending",)
                accepted = None
                if m_state[0] == "accepted":
                    accepted = stamp(min(due + rng.randint(-10, 40), TODAY - 1))
                milestones.add(
                    milestones.next_id,
                    stamp(signed),
                    stamp(signed),
                    contract,
                    seq,
                    "中期" if seq == 1 else "结项",
                    "报告",
                    day(due),
                    money(price / 2),
                    m_state[0],
                    "已交付" if m_state[0] != "pending" else "",
                    accepted,
                )
            for kind, due in (("progress", starts + 180), ("financial", ends + 30)):
                submitted = overdue = None
                if due < TODAY:
                    if rng.random() < 0.88:
                        submitted = stamp(min(due + rng.randint(-15, 20), TODAY - 1))
                    else:
                        overdue = day(due + 1)
                reports.add(
                    reports.next_id,
                    stamp(signed),
                    stamp(signed),
                    contract,
                    kind,
                    day(due),
                    "按计划推进" if submitted else "",
                    submitted,
                    None,
                    overdue,
                )
            if state == "completed" and rng.random() < 0.6:
                grade, low, high = pick(
                    rng,
                    (
                        ("excellent", 90, 100, 0.2),
                        ("good", 80, 90, 0.5),
                        ("pass", 60, 80, 0.25),
                        ("fail", 30, 60, 0.05),
                    ),
                )[:3]
                when = min(ends + rng.randint(30, 90), TODAY - 1)
                evaluations.add(
                    evaluations.next_id,
                    stamp(when),
                    stamp(when),
                    contract,
                    rng.choice(evaluators),
                    "{}",
                    f"{rng.uniform(low, high):.2f}",
                    grade,
                    "",
                    stamp(when),
                )

    def run(self) -> dict[str, int]:
        self.organizations()
        self.annual_reports()
        left = max(0, self.events - self.s("oversight_annualreport").rows)
        budget = {name: int(left * share) for name, share in SHARES}
        self.sanctions(budget["sanctions"])
        self.letters(budget["letters"])
        self.rectifications(budget["rectifications"])
        self.listings(budget["listings"])
        self.grades(budget["grades"])
        self.change_requests(budget["change_requests"])
        self.memberships(budget["memberships"])
        self.procurement(budget["procurement"])
        for spool in self.spools.values():
            spool.close()
        return {t: s.rows for t, s in self.spools.items()}


def load(database_url: str, spools: dict[str, Spool]) -> None:
    """COPY every file in, in dependency order, with the foreign-key triggers off (the ids are
    assigned here, so they hold by construction); then the id sequences and ANALYZE."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        with conn.cursor() as cur:
            cur.execute("SET session_replication_role = replica")
            for table, _cols, _events in TABLES:
                spool = spools[table]
                started = time.perf_counter()
                with cur.copy(f"COPY {table} ({spool.columns}) FROM STDIN") as copy:
                    with spool.path.open("rb") as fh:
                        while chunk := fh.read(1 << 20):
                            copy.write(chunk)
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
                print(
                    f"b6: {table}: {spool.rows:,} rows in {time.perf_counter() - started:.1f} s",
                    file=sys.stderr,
                )
                spool.path.unlink()
            cur.execute("SET session_replication_role = DEFAULT")
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")


def generate(orgs: int, events: int, workdir: Path, database_url: str) -> int:
    """The `generate` step, in its own process; prints the row counts as JSON on stdout."""
    django_setup()
    from servicepark.accounts.services import user_create
    from servicepark.common.actors import SystemActor
    from servicepark.registry.models import Organization

    if Organization.objects.exists():
        print("b6: the database already holds organizations; use a fresh one", file=sys.stderr)
        return 2
    started = time.perf_counter()
    user = user_create(actor=SystemActor("bench"), username="b6-official", password=PASSWORD)
    gen = Generator(orgs, events, workdir, user.pk)
    counts = gen.run()
    written = time.perf_counter() - started
    print(f"b6: files written in {written:.0f} s; loading", file=sys.stderr)
    load(database_url, gen.spools)
    loaded = time.perf_counter() - started - written
    print(json.dumps({"rows": counts, "write_s": written, "load_s": loaded}))
    return 0


def run_generate(args: argparse.Namespace) -> tuple[dict[str, Any], float]:
    """Generate in a child process, so that the measuring process stays small."""
    env = dict(os.environ, DATABASE_URL=args.database_url)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    cmd = [sys.executable, __file__, "--orgs", str(args.orgs), "--events", str(args.events)]
    cmd += ["--workdir", str(args.workdir), "--generate-only"]
    started = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1]), time.perf_counter() - started


# --- measuring ----------------------------------------------------------------------------------


def reset_peak_rss() -> None:
    """Reset VmHWM (Linux): the next peak_rss_mb() is the peak since now."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


_PLACEHOLDERS = re.compile(r"(?:%s, )+%s")
_ROWS = re.compile(r"\((?:%s, )*%s\)(?:, \((?:%s, )*%s\))+")


def template(sql: str) -> str:
    return _PLACEHOLDERS.sub("%s, …", _ROWS.sub("(…), …", sql))


class Probe:
    """Times the parts of a real engine run from the outside: each credit step, each rule's
    `evaluate` (its hits consumed) and `_apply`, `_store_scores`, the refreshes the run's own
    saves trigger; and every SQL statement, by part: the time inside cursor.execute, and the
    time fetching results (for `iterator()`, a server-side cursor: the query runs there)."""

    def __init__(self) -> None:
        self.part = "engine"
        self.parts: dict[str, dict[str, float]] = defaultdict(
            lambda: {
                "wall_s": 0.0,
                "calls": 0,
                "statements": 0,
                "sql_s": 0.0,
                "fetch_s": 0.0,
                "hits": 0,
            }
        )
        self.sql: dict[tuple[str, str], list[Any]] = {}
        self.saved: list[tuple[Any, str, Any]] = []

    def timed(self, name: str, fn: Callable[..., Any], hits: bool = False) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if self.part == "hook refresh":  # inside it, everything counts for the refresh
                return list(fn(*args, **kwargs)) if hits else fn(*args, **kwargs)
            outer, self.part = self.part, name
            started = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
                if hits:
                    result = list(result)
                    self.parts[name]["hits"] += len(result)
                return result
            finally:
                self.parts[name]["wall_s"] += time.perf_counter() - started
                self.parts[name]["calls"] += 1
                self.part = outer

        return wrapper

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            part = self.parts[self.part]
            part["statements"] += 1
            part["sql_s"] += took
            key = (self.part, template(sql))
            if not sql.lstrip().upper().startswith("SELECT"):
                params = None  # only SELECTs are explained: keep no large insert in memory
            entry = self.sql.get(key)
            if entry is None:
                self.sql[key] = [1, took, took, sql, params]
            else:
                entry[0] += 1
                entry[1] += took
                if took > entry[2]:
                    entry[2:] = [took, sql, params]

    def fetching(self, original: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap compiler.cursor_iter: the time each fetchmany takes, by part."""

        def cursor_iter(*args: Any) -> Any:
            rows = original(*args)
            while True:
                started = time.perf_counter()
                try:
                    chunk = next(rows)
                except StopIteration:
                    return
                finally:
                    self.parts[self.part]["fetch_s"] += time.perf_counter() - started
                yield chunk

        return cursor_iter

    def install(self) -> None:
        from django.db.models.sql import compiler

        from servicepark.oversight import engine, hooks
        from servicepark.oversight.rules import RULES

        self.saved = [
            (compiler, "cursor_iter", compiler.cursor_iter),
            (engine, "STEPS", engine.STEPS),
            (engine, "_apply", engine._apply),
            (engine, "_store_scores", engine._store_scores),
            (hooks, "_refresh", hooks._refresh),
        ]
        # A write of the run itself that a rule watches (saved one by one, not in bulk)
        # refreshes that organization once the step commits, inside the full run.
        hooks._refresh = self.timed("hook refresh", hooks._refresh)
        compiler.cursor_iter = self.fetching(compiler.cursor_iter)
        engine.STEPS = tuple((n, self.timed(f"step {n}", fn)) for n, fn in engine.STEPS)
        for rule in RULES.values():
            rule.evaluate = self.timed(f"rule {rule.id}", rule.evaluate, hits=True)  # type: ignore[method-assign]

        original_apply = engine._apply

        def apply(rule: Any, hits: Any, ctx: Any, counts: Any) -> None:
            return self.timed(f"apply {rule.id}", original_apply)(rule, hits, ctx, counts)

        engine._apply = apply
        engine._store_scores = self.timed("scores", engine._store_scores)

    def uninstall(self) -> None:
        from servicepark.oversight.rules import RULES

        for module, name, value in self.saved:
            setattr(module, name, value)
        for rule in RULES.values():
            rule.__dict__.pop("evaluate", None)

    def report(self, total_s: float) -> dict[str, Any]:
        parts = []
        for name, p in sorted(self.parts.items(), key=lambda kv: -kv[1]["wall_s"]):
            wall = (
                p["wall_s"]
                if name != "engine"
                else total_s - sum(q["wall_s"] for n, q in self.parts.items() if n != "engine")
            )
            parts.append(
                {
                    "part": name,
                    "wall_s": round(wall, 3),
                    "share": round(wall / total_s, 3) if total_s else 0,
                    "statements": int(p["statements"]),
                    "sql_s": round(p["sql_s"], 3),
                    "fetch_s": round(p["fetch_s"], 3),
                    "hits": int(p["hits"]),
                }
            )
        parts.sort(key=lambda p: -p["wall_s"])
        top = sorted(self.sql.items(), key=lambda kv: -kv[1][1])[:TOP_STATEMENTS]
        statements = [
            {
                "part": part,
                "template": tmpl[:1500],
                "count": n,
                "total_s": round(total, 3),
                "mean_ms": round(total / n * 1000, 3),
                "max_ms": round(slowest * 1000, 2),
            }
            for (part, tmpl), (n, total, slowest, _sql, _params) in top
        ]
        return {"parts": parts, "top_statements": statements}

    def slowest_examples(self) -> list[tuple[str, str, Any]]:
        top = sorted(self.sql.items(), key=lambda kv: -kv[1][1])[:TOP_STATEMENTS]
        return [(tmpl, e[3], e[4]) for (_part, tmpl), e in top]


def full_run(label: str) -> tuple[dict[str, Any], Probe]:
    from django.db import connection

    from servicepark.oversight import engine

    probe = Probe()
    quiet = wait_for_quiet()
    probe.install()
    reset_peak_rss()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    try:
        with connection.execute_wrapper(probe):
            started = time.perf_counter()
            outcome = engine.run(as_of=AS_OF)
            wall = time.perf_counter() - started
    finally:
        probe.uninstall()
    after = resource.getrusage(resource.RUSAGE_SELF)
    quiet["load_at_end"] = loadavg()
    result = {
        "run": label,
        "wall_s": round(wall, 2),
        "process_cpu_s": round(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, 2),
        "peak_rss_mb": peak_rss_mb(),
        "stored": outcome.stored,
        "counts": outcome.counts,
        "errors": outcome.errors,
        "load": quiet,
    }
    result.update(probe.report(wall))
    print(
        f"b6: {label} run: {wall:.1f} s, peak RSS {result['peak_rss_mb']} MB, {outcome.counts}",
        file=sys.stderr,
    )
    return result, probe


def baseline_tables() -> list[tuple[str, str]]:
    """(table, organization column) for every table the credit steps or the rules read: the
    steps' fixed set, the engine's own signals, and each rule's `watches`."""
    from django.apps import apps

    from servicepark.oversight.rules import RULES

    tables = {
        "registry_organization": "status, org_type",
        "oversight_annualreport": "organization_id",
        "oversight_sanction": "organization_id",
        "oversight_registeredletter": "organization_id",
        "oversight_rectification": "organization_id",
        "oversight_creditlisting": "organization_id",
        "oversight_cancellationproposal": "organization_id",
        "oversight_signal": "organization_id",
    }
    for rule in RULES.values():
        for label, path in rule.watches.items():
            model = apps.get_model(label)
            table = model._meta.db_table
            if table in tables:
                continue
            first = path.split(".")[0]
            field = model._meta.get_field(first.removesuffix("_id"))
            tables[table] = getattr(field, "column", first)
    return sorted(tables.items())


def baseline(rounds: int = 3) -> dict[str, Any]:
    from django.db import connection

    tables = baseline_tables()
    per_table: dict[str, list[float]] = defaultdict(list)
    totals = []
    rows = {}
    quiet = wait_for_quiet()
    with connection.cursor() as cur:
        for _ in range(rounds):
            began = time.perf_counter()
            for table, column in tables:
                started = time.perf_counter()
                cur.execute(
                    f"SELECT count(*), coalesce(sum(n), 0) FROM "
                    f"(SELECT {column}, count(*) AS n FROM {table} GROUP BY {column}) AS s"
                )
                groups, n = cur.fetchone()
                per_table[table].append(time.perf_counter() - started)
                rows[table] = {"rows": int(n), "groups": int(groups)}
            totals.append(time.perf_counter() - began)
    quiet["load_at_end"] = loadavg()
    median = sorted(totals)[len(totals) // 2]
    return {
        "sql": "SELECT count(*), sum(n) FROM (SELECT <column>, count(*) AS n FROM <table> "
        "GROUP BY <column>) AS s",
        "tables": [
            {
                "table": t,
                "group_by": c,
                **rows[t],
                "median_s": round(sorted(per_table[t])[len(per_table[t]) // 2], 3),
            }
            for t, c in tables
        ],
        "rounds_s": [round(x, 3) for x in totals],
        "median_s": round(median, 3),
        "load": quiet,
    }


_LONG_ARRAY = re.compile(r"'\{([^}']{200,})\}'")


def _shorten(match: re.Match[str]) -> str:
    items = match.group(1).split(",")
    return "'{" + ",".join(items[:5]) + f",… ({len(items)} values)}}'"


def explain(examples: list[tuple[str, str, Any]]) -> list[dict[str, Any]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest instance of each top SELECT."""
    from django.db import connection

    plans = []
    with connection.cursor() as cur:
        for tmpl, sql, params in examples:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = _LONG_ARRAY.sub(_shorten, "\n".join(r[0] for r in cur.fetchall()))
            plans.append({"template": tmpl[:1500], "plan": plan})
    return plans


def incremental(count: int, seed: int = SEED) -> dict[str, Any]:
    """`engine.refresh({org}, models=…)` right after an event for that organization, written
    through the ORM (the post-save hook is switched off, so that only the timed refresh
    evaluates), as the hook would call it; then every step and rule for the same organization."""
    from django.conf import settings
    from django.utils import timezone

    from servicepark.accounts.models import User
    from servicepark.oversight import engine
    from servicepark.oversight.models import AnnualReport, RegisteredLetter, Sanction
    from servicepark.procurement.models import Milestone
    from servicepark.registry.models import ChangeRequest, Organization

    rng = random.Random(seed + 1)
    settings.SERVICEPARK_OVERSIGHT_INCREMENTAL = False
    user = User.objects.get(username="b6-official")
    now = timezone.now()
    missing = list(
        Organization.objects.filter(registration_kind__in=["registered", "direct"])
        .filter(status="registered", founded_on__lte=dt.date(2025, 12, 31))
        .exclude(annual_reports__year=2025)
        .values_list("id", flat=True)[:5000]
    )
    pending = list(
        Milestone.objects.filter(state="pending", contract__state="active").values_list(
            "id", "contract__provider_id"
        )[:5000]
    )
    legal = list(
        Organization.objects.filter(status="registered", registration_kind="direct").values_list(
            "id", flat=True
        )[:50000]
    )

    def annual_report() -> int:
        org = missing.pop(rng.randrange(len(missing)))
        AnnualReport.objects.create(
            organization_id=org,
            year=2025,
            revenue_government=Decimal("900000.00"),
            revenue_fees=Decimal("50000.00"),
            activities="补报年度报告",
            submitted_at=now,
        )
        return org

    def sanction() -> int:
        org = rng.choice(legal)
        Sanction.objects.create(
            organization_id=org,
            kind="warning",
            decided_on=timezone.localdate(),
            reference=f"民罚字〔2026〕第B6{org}号",
            facts="未按规定开展活动",
        )
        return org

    def letter() -> int:
        org = rng.choice(legal)
        for sent in (60, 20):
            RegisteredLetter.objects.create(
                organization_id=org,
                sent_on=timezone.localdate() - dt.timedelta(days=sent),
                address="登记住所",
                tracking_number=f"EMSB6{org}{sent}",
                returned_on=timezone.localdate() - dt.timedelta(days=sent - 10),
            )
        return org

    def milestone() -> int:
        pk, org = pending.pop(rng.randrange(len(pending)))
        item = Milestone.objects.get(pk=pk)
        item.state = Milestone.State.SUBMITTED
        item.delivered_note = "已交付"
        item.save()
        return org

    def representative() -> int:
        org = Organization.objects.get(pk=rng.choice(legal))
        ChangeRequest.objects.create(
            organization=org,
            requested_by=user,
            changes={"legal_representative": "新代表"},
            previous={"legal_representative": org.legal_representative},
            state="approved",
            decided_by=user,
            decided_at=now,
        )
        org.legal_representative = "新代表"
        org.save()
        return org.pk

    events: dict[str, Callable[[], int]] = {
        "annual_report_filed": annual_report,
        "sanction_recorded": sanction,
        "letters_returned": letter,
        "milestone_delivered": milestone,
        "legal_representative_changed": representative,
    }
    # The models each event saves: what the post-save hook passes to the refresh, so that
    # only the steps and rules watching them run.
    saved = {
        "annual_report_filed": {"oversight.AnnualReport"},
        "sanction_recorded": {"oversight.Sanction"},
        "letters_returned": {"oversight.RegisteredLetter"},
        "milestone_delivered": {"procurement.Milestone"},
        "legal_representative_changed": {"registry.ChangeRequest", "registry.Organization"},
    }
    engine.refresh({events["sanction_recorded"]()})  # warm-up: imports, first queries
    quiet = wait_for_quiet()
    seconds: dict[str, list[float]] = defaultdict(list)
    every_rule: list[float] = []
    kinds = list(events)
    for i in range(count):
        kind = kinds[i % len(kinds)]
        org = events[kind]()
        started = time.perf_counter()
        engine.refresh({org}, models=saved[kind])
        seconds[kind].append(time.perf_counter() - started)
        started = time.perf_counter()  # the same organization again, every step and rule
        engine.refresh({org})
        every_rule.append(time.perf_counter() - started)
    quiet["load_at_end"] = loadavg()
    everything = [s for values in seconds.values() for s in values]
    return {
        "as_of": timezone.localdate().isoformat(),
        "refresh": summary_ms(everything),
        "by_event": {kind: summary_ms(values) for kind, values in seconds.items()},
        "refresh_every_rule": summary_ms(every_rule),
        "load": quiet,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=int(os.environ.get("BENCH_B6_ORGS", 1_000_000)))
    parser.add_argument(
        "--events", type=int, default=int(os.environ.get("BENCH_B6_EVENTS", 5_000_000))
    )
    parser.add_argument("--incremental", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=None, help="where the files go")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--out", type=Path, default=RESULTS / "b6_oversight.json")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("a PostgreSQL DATABASE_URL is required")
    if args.generate_only:
        return generate(args.orgs, args.events, args.workdir, args.database_url)
    own_workdir = args.workdir is None
    if own_workdir:
        args.workdir = Path(tempfile.mkdtemp(prefix="b6-"))
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = args.database_url
    print(f"b6: generating {args.orgs:,} organizations, {args.events:,} events", file=sys.stderr)
    try:
        generated, gen_s = run_generate(args)
    except subprocess.CalledProcessError:
        return 1
    finally:
        if own_workdir:
            shutil.rmtree(args.workdir, ignore_errors=True)
    rows = generated["rows"]
    events = {t: rows[t] for t, _c, counted in TABLES if counted}
    print(f"b6: generated in {gen_s:.0f} s ({sum(events.values()):,} events)", file=sys.stderr)

    django_setup()
    from django.conf import settings
    from django.utils import timezone

    from servicepark.oversight.rules import RULES

    if timezone.localdate() < AS_OF:
        print(f"b6: today is before {AS_OF}: the run would be a preview", file=sys.stderr)
        return 1
    settings.DEBUG = False  # as in production: no query log
    settings.SERVICEPARK_ANNUAL_REPORTS_FROM = REPORTS_FROM

    first, _probe = full_run("first")
    base = baseline()
    steady, probe = full_run("steady")
    plans = explain(probe.slowest_examples())
    created = {k: v for k, v in steady["counts"].items() if v and k != "organizations_at_risk"}
    steady_ok = not created and not steady["errors"] and not first["errors"]
    print("b6: incremental refreshes", file=sys.stderr)
    inc = incremental(args.incremental)
    ratio = steady["wall_s"] / base["median_s"] if base["median_s"] else float("nan")
    result = {
        "benchmark": "b6_oversight",
        "machine": machine_info(args.database_url),
        "organizations": rows["registry_organization"],
        "events": sum(events.values()),
        "events_by_table": events,
        "reference_rows": {t: rows[t] for t, _c, counted in TABLES if not counted},
        "generate_s": round(gen_s, 1),
        "generate_write_s": round(generated["write_s"], 1),
        "generate_load_s": round(generated["load_s"], 1),
        "as_of": AS_OF.isoformat(),
        "annual_reports_from": REPORTS_FROM,
        "rules": sorted(RULES),
        "debug": False,
        "first": first,
        "steady": steady,
        "steady_created": created,
        "steady_ok": steady_ok,
        "baseline": base,
        "ratio": round(ratio, 2),
        "goal_ratio": GOAL_RATIO,
        "goal_seconds": GOAL_SECONDS,
        "ratio_met": ratio <= GOAL_RATIO,
        "seconds_met": steady["wall_s"] <= GOAL_SECONDS,
        "explain": plans,
        "incremental": inc,
    }
    write_json(args.out, result)
    r = inc["refresh"]
    print(
        f"b6: baseline {base['median_s']:.2f} s; steady run {steady['wall_s']:.1f} s = "
        f"{ratio:.1f}× (goal ≤ {GOAL_RATIO:.0f}×, ≤ {GOAL_SECONDS:.0f} s); first run "
        f"{first['wall_s']:.1f} s; refresh p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms",
        file=sys.stderr,
    )
    if not steady_ok:
        print(f"b6: the steady-state run was not idempotent: {created}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
