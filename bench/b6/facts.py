"""Generated oversight facts: sanctions, registered letters, rectification orders, manual
credit listings, grade assessments, change requests and people's roles (memberships)."""

from __future__ import annotations

import datetime as dt
import json
from collections import deque

from bench.b6.organizations import OrganizationGenerator
from bench.b6.params import (
    GRADE_BANDS,
    MANUAL_LISTINGS,
    ROLES,
    SANCTION_KINDS,
    TODAY,
    day,
    money,
    ord_of,
    pick,
    stamp,
)


class OversightFacts(OrganizationGenerator):
    """The events officials record about organizations (one method per table)."""

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
