"""Generated procurement chains: purchasers and their catalogues, then calls, applications,
decisions, awards, contracts, milestones, reports and evaluations."""

from __future__ import annotations

import datetime as dt

from bench.b6.organizations import OrganizationGenerator
from bench.b6.params import (
    METHODS,
    PURCHASER_KINDS,
    TODAY,
    day,
    money,
    ord_of,
    pick,
    stamp,
)


class ProcurementChains(OrganizationGenerator):
    """Whole procurement chains, from the call to the evaluation of the contract."""

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
