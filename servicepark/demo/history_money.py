"""The demo's summer and autumn 2026: contracts, payments (through the association), vouchers,
reports, service records, beneficiary answers, support from the pool, an evaluation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from servicepark.demo.clock import Clock
from servicepark.demo.history import _u


def _milestones(price: Decimal, vouchers: Decimal, start: dt.date, end: dt.date) -> list[Any]:
    from servicepark.procurement.services.contracts import MilestoneInput

    rest = price - vouchers
    first = (rest * Decimal("0.4")).quantize(Decimal("0.01"))
    middle = (rest * Decimal("0.3")).quantize(Decimal("0.01"))
    return [
        MilestoneInput("启动", "实施方案与需求评估报告", start + dt.timedelta(days=14), first),
        MilestoneInput("中期", "中期报告与服务台账", dt.date(2026, 9, 30), middle),
        MilestoneInput("结项", "结项报告与审计报告", end, rest - first - middle),
    ]


def run_contracts(actor: Any, clock: Clock, decisions: dict[str, Any]) -> None:
    from servicepark.procurement.models import Report
    from servicepark.procurement.services.contracts import (
        ContractInput,
        contract_create,
        contract_sign,
        contract_transition,
    )
    from servicepark.procurement.services.evaluation import evaluation_assign, evaluation_submit
    from servicepark.procurement.services.payments import (
        milestone_accept,
        milestone_pay,
        milestone_submit,
        voucher_redeem,
    )
    from servicepark.procurement.services.reporting import (
        ExpenseInput,
        report_submit,
        service_record_add,
        survey_answer,
    )
    from servicepark.procurement.services.support import (
        support_request_decide,
        support_request_file,
    )
    from servicepark.procurement.services.vouchers import voucher_scheme_create, vouchers_issue
    from servicepark.registry.models import Organization

    clock.at("2026-04-25", "10:00")
    start, end = dt.date(2026, 5, 1), dt.date(2027, 3, 31)
    contracts = {}
    for key, buyer in (("jinan", "purchaser-jn"), ("xicheng", "purchaser-xc")):
        for award in (
            decisions[key].awards.select_related("application__organization").order_by("rank")
        ):
            app = award.application
            vouchers = Decimal("40000.00") if "善邻" in app.organization.name else Decimal(0)
            data = ContractInput(
                title=f"{app.content['title']}服务合同",
                service_content=app.content["summary"],
                beneficiaries=app.content["beneficiaries"],
                quantities=app.content["targets"],
                price=award.amount,
                starts_on=start,
                ends_on=end,
                milestones=_milestones(award.amount, vouchers, start, end),
                voucher_budget=vouchers,
            )
            contracts[app.organization.name] = (
                contract_create(actor=_u(buyer), award=award, data=data),
                buyer,
            )

    clock.at("2026-04-28", "15:00")
    # Providers without demo accounts act through the demo actor (recorded as "demo").
    for name, (contract, buyer) in contracts.items():
        contract_sign(actor=_u(buyer), contract=contract, side="purchaser")
        signer = _u("assoc-xicheng") if contract.payee_id != contract.provider_id else actor
        contracts[name] = (contract_sign(actor=signer, contract=contract, side="provider"), buyer)

    clock.at("2026-05-01", "09:00")
    for name, (contract, buyer) in contracts.items():
        contracts[name] = (
            contract_transition(actor=_u(buyer), contract=contract, action="activate"),
            buyer,
        )

    def pay(name: str, seq: int, day: str) -> None:
        contract, buyer = contracts[name]
        provider = _u("assoc-xicheng") if contract.payee_id != contract.provider_id else actor
        milestone = contract.milestones.get(seq=seq)
        clock.at(day, "10:00")
        milestone_submit(
            actor=provider, milestone=milestone, note=f"已提交：{milestone.deliverable}"
        )
        clock.at(day, "16:00")
        milestone_accept(actor=_u(buyer), milestone=milestone)
        milestone_pay(
            actor=_u(buyer),
            milestone=milestone,
            amount=milestone.amount,
            key=f"demo-{contract.pk}-{seq}",
        )

    for n, name in enumerate(contracts):
        pay(name, 1, f"2026-05-{15 + n:02d}")

    shanlin, _buyer = contracts["北京市善邻社区服务中心"]
    clock.at("2026-05-25", "10:00")
    scheme = voucher_scheme_create(
        actor=_u("purchaser-xc"),
        contract=shanlin,
        service="长者日间照料一天（含午餐）",
        public_share="50.00",
        co_payment="10.00",
    )
    issued = vouchers_issue(
        actor=_u("purchaser-xc"),
        scheme=scheme,
        holders=_elder_holders(120),
    )
    association = Organization.objects.get(name="北京市西城区社会工作协会")
    yuequn = Organization.objects.get(name="悦群社会工作事务所")
    jinan_names = [n for n in contracts if n.startswith(("济南", "七里山"))]
    events: list[tuple[str, Any]] = []

    def redeem(month: int) -> None:
        for voucher in issued[(month - 6) * 12 : (month - 6) * 12 + 9]:
            voucher_redeem(actor=_u("assoc-xicheng"), code=voucher.code, key=f"demo-v-{voucher.pk}")

    def serve(month: int) -> None:
        for i, name in enumerate(jinan_names):
            contract, _b = contracts[name]
            service_record_add(
                actor=actor,
                contract=contract,
                held_on=dt.date(2026, month, 25),
                activity=("四点半课堂", "就业技能小组", "垃圾分类督导")[i % 3],
                people_served=18 + 3 * month + 5 * i,
                volunteers=2 + i,
            )
            if month in (6, 8, 10):
                survey_answer(
                    token=contract.survey.token,
                    satisfaction=5 - (i + month) % 2,
                    comment="社工很耐心" if i == 0 else "",
                )

    def first_reports() -> None:
        for contract, _b in contracts.values():
            report = contract.reports.filter(kind="progress").order_by("due_on")[0]
            who = _u("assoc-xicheng") if contract.payee_id != contract.provider_id else actor
            report_submit(
                actor=who, report=report, summary="第一季度服务按计划推进，详见服务台账。"
            )

    def support() -> None:
        request = support_request_file(
            actor=_u("ngo-yuequn"),
            association=association,
            member=yuequn,
            amount="2000.00",
            reason="暴雨后活动室进水，需修缮后恢复服务。",
        )
        clock.at("2026-08-18", "10:00")
        support_request_decide(
            actor=_u("assoc-xicheng"),
            request=request,
            approve=True,
            note="同意，从应急互助金支付。",
        )

    for month in range(6, 11):
        events.append((f"2026-{month:02d}-20T11:00", lambda m=month: redeem(m)))
    for month in range(5, 11):
        events.append((f"2026-{month:02d}-26T18:00", lambda m=month: serve(m)))
    events.append(("2026-07-28T10:00", first_reports))
    events.append(("2026-08-15T10:00", support))

    def october_payments() -> None:
        for n, name in enumerate(("济南市市中区阳光社区服务中心", "济南市市中区星火环保促进会")):
            pay(name, 2, f"2026-10-{8 + n:02d}")
        contract, _b = contracts["济南市市中区和睦助残服务中心"]
        clock.at("2026-10-10", "10:00")
        milestone_submit(
            actor=actor, milestone=contract.milestones.get(seq=2), note="中期报告已提交，待验收。"
        )

    star, _b = contracts["济南市市中区星火环保促进会"]

    def evaluation() -> None:
        evaluator = Organization.objects.get(name="山东众诚社会组织评估中心")
        evaluation_assign(actor=_u("purchaser-jn"), contract=star, evaluator=evaluator)

    def graded() -> None:
        evaluation_submit(
            actor=_u("evaluator-jn"),
            evaluation=star.evaluation,
            scores={
                "outputs": 17,
                "outcomes": 20,
                "satisfaction": 18,
                "finance": 17,
                "capacity": 11,
            },
            comment="督导员队伍稳定，分类准确率明显提高；建议下一阶段培养居民骨干，减少对项目经费的依赖。",
        )

    def autumn_reports() -> None:
        for name in ("济南市市中区阳光社区服务中心", "济南市市中区星火环保促进会"):
            contract, _b = contracts[name]
            quarter = contract.price / 4
            for report in contract.reports.filter(
                submitted_at__isnull=True, due_on__lte=dt.date(2026, 11, 1)
            ).order_by("due_on"):
                expenses = [
                    ExpenseInput("活动物料", str(quarter), str(quarter * Decimal("0.9"))),
                    ExpenseInput("人员补贴", str(quarter), str(quarter * Decimal("1.2"))),
                ]
                report_submit(
                    actor=actor,
                    report=report,
                    summary="服务按计划推进；人员补贴超支源于暑期加开课堂，已由活动物料结余调剂。",
                    expenses=expenses if report.kind == Report.Kind.FINANCIAL else [],
                )

    events += [
        ("2026-10-08T09:00", october_payments),
        ("2026-10-12T10:00", evaluation),
        ("2026-10-21T15:00", graded),
        ("2026-10-29T17:00", autumn_reports),
    ]
    # Every step on its own date, in the order of the calendar.
    for when, step in sorted(events, key=lambda e: e[0]):
        day, time = when.split("T")
        clock.at(day, time)
        step()


def _elder_holders(count: int) -> list[str]:
    """Fictional elders of Xicheng: a name, a mobile number and a checksum-valid resident ID
    number (born 1940–1955), as a purchaser would paste them."""
    from stdnum.cn import ric

    surnames = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
    given = ["秀英", "桂兰", "玉珍", "淑华", "国强", "建华", "德明", "文秀", "志明", "凤兰"]
    lines = []
    for i in range(count):
        body = f"110102{1940 + i % 16}{1 + i % 12:02d}{1 + i % 28:02d}{100 + i:03d}"
        id_number = body + ric.calc_check_digit(body + "0")  # the argument has a check slot
        phone = f"139{11000000 + i * 7919:08d}"
        name = surnames[i % len(surnames)] + given[i % len(given)]
        lines.append(f"{name}，{phone}，{id_number}")
    return lines
