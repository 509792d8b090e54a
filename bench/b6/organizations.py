"""The generator's base: organizations, the annual reports they owe, and the per-organization
state (type, founding day, standing, shared people) that the other events are drawn from."""

from __future__ import annotations

import array
import random
from collections import deque
from pathlib import Path

from bench.b6.params import (
    SEED,
    STATUS_LEGAL,
    TODAY,
    YEARS,
    day,
    money,
    ord_of,
    pick,
    stamp,
)
from bench.b6.spool import TABLES, Spool
from bench.common import OrgGenerator


class OrganizationGenerator:
    """Deterministic organizations and their annual reports, written to one file per table; the
    events of the other tables are drawn by the subclasses (bench.b6.facts, .procurement)."""

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
