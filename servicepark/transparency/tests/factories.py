"""Open-data test data, built with the ORM directly: published calls with final decisions,
contracts, milestones and payments at fixed instants, so that the exported text is stable."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from servicepark.procurement.models import (
    Application,
    Award,
    Call,
    Catalogue,
    CatalogueEntry,
    Contract,
    Decision,
    Milestone,
    Payment,
    Purchaser,
)
from servicepark.registry.models import Organization
from servicepark.registry.tests.factories import make_org, valid_uscc

SHANGHAI = ZoneInfo("Asia/Shanghai")
_serial = itertools.count(1)


def at(day: str, hour: int = 10) -> dt.datetime:
    """An instant in Shanghai time, e.g. at("2026-03-01")."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def make_purchaser(name: str, *, division: str = "510100", uscc: str = "") -> Purchaser:
    return Purchaser.objects.create(
        name=name, kind="civil_affairs", division_id=division, uscc=uscc
    )


def make_item(purchaser: Purchaser) -> CatalogueEntry:
    catalogue = Catalogue.objects.create(purchaser=purchaser, year=2026, state="published")
    category = CatalogueEntry.objects.create(
        catalogue=catalogue, tier=1, code="A01", name="基本公共服务"
    )
    sub = CatalogueEntry.objects.create(
        catalogue=catalogue, parent=category, tier=2, code="A0101", name="养老服务"
    )
    return CatalogueEntry.objects.create(
        catalogue=catalogue,
        parent=sub,
        tier=3,
        code="A010101",
        name="居家养老上门服务",
        budget=Decimal("1000000.00"),
    )


def make_call(purchaser: Purchaser, **fields: Any) -> Call:
    values: dict[str, Any] = {
        "kind": "purchase",
        "method": "public_tender",
        "title": "2026年社区居家养老服务项目",
        "description": "为辖区独居老人提供上门探访服务。",
        "total_budget": Decimal("600000.00"),
        "per_project_cap": Decimal("200000.00"),
        "opens_at": at("2026-01-15", 9),
        "closes_at": at("2026-02-15", 17),
        "state": "published",
    }
    values.update(fields)
    call = Call.objects.create(purchaser=purchaser, **values)
    Call.objects.filter(pk=call.pk).update(created_at=at("2026-01-10"))
    return call


def make_decision(call: Call, *awards: tuple[Application, str]) -> tuple[Decision, list[Award]]:
    total = sum((Decimal(a) for _, a in awards), Decimal("0.00"))
    decision = Decision.objects.create(
        call=call,
        state="final",
        total_amount=total,
        published_at=at("2026-02-20"),
        objection_ends_at=at("2026-02-27"),
        finalized_at=at("2026-03-01"),
    )
    made = [
        Award.objects.create(
            decision=decision, application=app, amount=Decimal(amount), score=90 - i, rank=i + 1
        )
        for i, (app, amount) in enumerate(awards)
    ]
    return decision, made


def apply(call: Call, org: Organization, applicant: Organization | None = None) -> Application:
    return Application.objects.create(
        call=call,
        organization=org,
        applicant=applicant or org,
        state="submitted",
        content={"title": f"{org.name}长者关爱项目", "summary": "上门探访与健康讲座。"},
    )


def make_contract(
    award: Award, *, state: str = "active", payee: Organization | None = None
) -> Contract:
    app = award.application
    contract = Contract.objects.create(
        award=award,
        call=app.call,
        purchaser=app.call.purchaser,
        provider=app.organization,
        payee=payee or app.organization,
        number=f"SPK-2026-{next(_serial):04d}",
        title=f"{app.organization.name}服务合同",
        service_content="上门探访",
        beneficiaries="独居老人",
        quantities="每月 800 人次",
        price=award.amount,
        starts_on=dt.date(2026, 3, 10),
        ends_on=dt.date(2026, 12, 31),
        state=state,
        purchaser_signed_at=None if state == "draft" else at("2026-03-05", 9),
        provider_signed_at=None if state == "draft" else at("2026-03-06", 15),
    )
    Contract.objects.filter(pk=contract.pk).update(created_at=at("2026-03-04"))
    return contract


def make_milestones(contract: Contract, *states: str) -> list[Milestone]:
    half = (contract.price / len(states)).quantize(Decimal("0.01"))
    made = []
    for seq, state in enumerate(states, start=1):
        accepted = at("2026-06-01") if state in ("accepted", "paid") else None
        made.append(
            Milestone.objects.create(
                contract=contract,
                seq=seq,
                title=("中期" if seq == 1 else "结项"),
                deliverable="报告",
                due_on=dt.date(2026, 3 + 3 * seq, 30),
                amount=half,
                state=state,
                accepted_at=accepted,
            )
        )
    Milestone.objects.filter(contract=contract).update(updated_at=at("2026-05-01"))
    return made


def pay(milestone: Milestone, payee: Organization | None = None) -> Payment:
    contract = milestone.contract
    payment = Payment.objects.create(
        contract=contract,
        kind="milestone",
        milestone=milestone,
        amount=milestone.amount,
        payee=payee or contract.payee,
        idempotency_key=f"pay-{next(_serial)}",
    )
    Payment.objects.filter(pk=payment.pk).update(created_at=at("2026-06-05"))
    return payment


@dataclass
class World:
    buyer: Purchaser
    district: Purchaser
    alpha: Organization  # registered, with a USCC
    umbrella: Organization  # association with a USCC
    attached: Organization  # attached to the umbrella: no USCC, no filing number
    filed: Organization  # filed on record: a filing number only
    purchase: Call  # catalogue item, 2 awards, 2 contracts with milestones and payments
    grant: Call  # grant call of a purchaser without USCC; a draft contract
    single: Call  # published, no decision yet
    unsuccessful: Call  # final decision without awards
    draft: Call  # not published: never exported
    awards: list[Award]
    grants: list[Award]
    contracts: list[Contract]


def build_world() -> World:
    buyer = make_purchaser("成都市民政局", uscc=valid_uscc("social_group", "510100"))
    district = make_purchaser("成都市武侯区民政局", division="510107")
    alpha = make_org(name="成都市阳光社区服务中心")
    umbrella = make_org(
        name="成都市社会工作协会", org_type="social_group", registration_kind="registered"
    )
    attached = make_org(
        name="簇桥彩虹服务队",
        org_type="other",
        registration_kind="attached",
        umbrella_uscc=umbrella.uscc,
        division_code="510107019",
    )
    filed = make_org(name="长寿路睦邻互助会", org_type="other", registration_kind="filed")

    purchase = make_call(buyer, catalogue_item=make_item(buyer))
    _, awards = make_decision(
        purchase,
        (apply(purchase, alpha), "200000.00"),
        (apply(purchase, attached, umbrella), "150000.50"),
    )
    first = make_contract(awards[0])
    m1, _ = make_milestones(first, "paid", "pending")
    pay(m1)
    second = make_contract(awards[1], state="completed", payee=umbrella)
    n1, n2 = make_milestones(second, "paid", "accepted")
    pay(n1)

    grant = make_call(
        district,
        kind="grant",
        method="grant",
        title="2026年公益创投",
        description="",
        total_budget=Decimal("300000.00"),
        per_project_cap=Decimal("100000.00"),
        off_catalogue_reason="创投资金不在目录内",
    )
    _, grants = make_decision(
        grant, (apply(grant, filed), "50000.00"), (apply(grant, alpha), "80000.25")
    )
    draft_contract = make_contract(grants[0], state="draft")
    make_milestones(draft_contract, "pending")

    single = make_call(
        buyer,
        method="single_source",
        title="社区矫正专业服务",
        restriction_reason="唯一具备资质的机构",
        total_budget=Decimal("90000.00"),
        per_project_cap=Decimal("90000.00"),
    )
    unsuccessful = make_call(buyer, method="invitational_tender", title="邀请招标项目")
    make_decision(unsuccessful)
    draft = make_call(buyer, state="draft", title="草稿项目")
    return World(
        buyer=buyer,
        district=district,
        alpha=alpha,
        umbrella=umbrella,
        attached=attached,
        filed=filed,
        purchase=purchase,
        grant=grant,
        single=single,
        unsuccessful=unsuccessful,
        draft=draft,
        awards=awards,
        grants=grants,
        contracts=[first, second],
    )


def bulk_calls(purchaser: Purchaser, count: int) -> list[Call]:
    """`count` published calls without decisions (two releases each), in one query."""
    opens, closes = at("2026-01-15"), at("2026-02-15")
    return Call.objects.bulk_create(
        Call(
            purchaser=purchaser,
            kind="purchase",
            method="inquiry",
            title=f"批量项目{i}",
            total_budget=Decimal("1000.00"),
            per_project_cap=Decimal("1000.00"),
            opens_at=opens,
            closes_at=closes,
            state="published",
        )
        for i in range(count)
    )
