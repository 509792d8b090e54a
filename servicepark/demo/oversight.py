"""The oversight year of the demo (seed 002's management, service and early-warning system on
the national rules): annual reports filed in spring, the June run that lists those who did not
file, one rectified and verified, one still listed and unreachable, one escalated from the paper
register to the serious list, a warning, grades awarded and expiring, a related-party signal in
the Jinan call, a dependency signal, and alerts being handled. Steps go on the replay clock's
agenda, beside the procurement year."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from servicepark.demo.clock import Clock

# Jinan (370103): 绿芽 never files (listed, then unreachable); 春晖 files late after an order.
MISSES = (
    "济南市市中区绿芽志愿者协会",
    "济南市市中区春晖社会工作服务中心",
    "济南市市中区心桥法律援助服务中心",
)
LATE = "济南市市中区春晖社会工作服务中心"
SILENT = "济南市市中区绿芽志愿者协会"
PAPER_LISTED = "济南市市中区心桥法律援助服务中心"
# An agency living on its one purchaser, the Jinan district bureau (seed 003's warning).
DEPENDENT = "济南市市中区阳光社区服务中心"
SHARED_PHONE = ("济南市市中区蒲公英文化传播中心", "济南市市中区和睦助残服务中心")
RUNS = ("2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01")


def _u(username: str) -> Any:
    from servicepark.accounts.models import User

    return User.objects.get(username=username)


def _org(name: str) -> Any:
    from servicepark.registry.models import Organization

    return Organization.objects.filter(name=name).order_by("id").first()


def _report(rng: random.Random, government_share: float | None = None) -> dict[str, str]:
    total = Decimal(rng.randrange(150, 2400) * 1000)
    share = government_share if government_share is not None else rng.uniform(0.05, 0.6)
    gov = (total * Decimal(str(round(share, 2)))).quantize(Decimal(1))
    rest = total - gov
    return {
        "revenue_government": str(gov),
        "revenue_grants": str((rest * Decimal("0.4")).quantize(Decimal(1))),
        "revenue_donations": str((rest * Decimal("0.3")).quantize(Decimal(1))),
        "revenue_fees": str((rest * Decimal("0.3")).quantize(Decimal(1))),
        "expenses": str((total * Decimal("0.93")).quantize(Decimal(1))),
        "assets": str((total * Decimal("0.4")).quantize(Decimal(1))),
        "staff": str(rng.randrange(3, 40)),
        "volunteers": str(rng.randrange(10, 300)),
        "activities": "社区服务项目、志愿者培训与居民活动（2025年度）",
    }


def _file_reports(actor: Any, when: str) -> None:
    """Everyone who owes a report files it, foundations before 31 March, the rest by May."""
    from servicepark.oversight.duties import OWES_REPORTS
    from servicepark.oversight.services.annual import annual_report_file
    from servicepark.registry.models import Organization

    rng = random.Random(2025)  # noqa: S311 (demo data)
    owing = Organization.objects.filter(OWES_REPORTS).exclude(name__in=MISSES).order_by("id")
    foundations = when == "foundations"
    for org in owing:
        if (org.org_type == "foundation") != foundations or org.annual_reports.exists():
            continue
        share = 0.92 if org.name == DEPENDENT else None
        annual_report_file(actor=actor, organization=org, year=2025, data=_report(rng, share))


def _run() -> None:
    from servicepark.oversight import engine

    engine.run()


def _handle_alerts() -> None:
    """June: the Jinan official takes up the alerts of the first run."""
    from servicepark.oversight.models import Alert, CreditListing
    from servicepark.oversight.services.alerts import alert_transition
    from servicepark.oversight.services.inspections import rectification_order

    official = _u("official-jn")
    late = _org(LATE)
    listing = CreditListing.objects.get(organization=late, source="annual_report:2025")
    alert = Alert.objects.filter(organization=late, signal__rule="credit_listed").first()
    if alert:
        alert_transition(actor=official, alert=alert, action="acknowledge")
    rectification_order(
        actor=official,
        organization=late,
        listing=listing,
        order="请于6月30日前补报2025年度工作报告并说明逾期原因。",
        deadline="2026-06-30",
    )
    silent = Alert.objects.filter(organization=_org(SILENT), signal__rule="credit_listed").first()
    if silent:
        alert_transition(actor=official, alert=silent, action="investigate")
    related = Alert.objects.filter(signal__rule="related_parties").order_by("id").first()
    if related:
        alert_transition(actor=official, alert=related, action="investigate")


def _late_filing(actor: Any) -> None:
    from servicepark.oversight.models import Rectification
    from servicepark.oversight.services.annual import annual_report_file
    from servicepark.oversight.services.inspections import rectification_answer

    late = _org(LATE)
    annual_report_file(actor=actor, organization=late, year=2025, data=_report(random.Random(7)))  # noqa: S311 (demo data)
    order = Rectification.objects.get(organization=late)
    rectification_answer(
        actor=actor,
        item=order,
        response="已于6月18日补报2025年度报告；逾期系财务人员离职交接所致，已建立年报提醒制度。",
    )


def _verify() -> None:
    from servicepark.oversight.models import Alert, Rectification
    from servicepark.oversight.services.alerts import alert_transition
    from servicepark.oversight.services.inspections import rectification_verify

    official = _u("official-jn")
    late = _org(LATE)
    rectification_verify(
        actor=official,
        item=Rectification.objects.get(organization=late),
        note="年报内容完整，财务数据与审计报告一致，准予移出活动异常名录。",
    )
    alert = Alert.objects.filter(organization=late, signal__rule="credit_listed").first()
    if alert:
        alert_transition(
            actor=official, alert=alert, action="close", note="已责令整改并核实，机构已移出名录。"
        )


def _letters(step: int) -> None:
    from servicepark.oversight.models import RegisteredLetter
    from servicepark.oversight.services.credit import letter_outcome, letter_send

    official, silent = _u("official-jn"), _org(SILENT)
    if step in (1, 3):
        sent = "2026-07-10" if step == 1 else "2026-08-05"
        letter_send(
            actor=official,
            organization=silent,
            sent_on=sent,
            tracking_number=f"XA{step:03d}370103CN",
        )
    else:
        letter = RegisteredLetter.objects.filter(
            organization=silent, signed_on__isnull=True, returned_on__isnull=True
        ).first()
        day = "2026-07-25" if step == 2 else "2026-08-20"
        assert letter is not None
        letter_outcome(actor=official, letter=letter, signed=False, on=day)


def _paper_register(actor: Any) -> None:
    """January: the bureau enters what its paper registers held."""
    from servicepark.oversight.services.credit import listing_add
    from servicepark.oversight.services.grades import grade_record_existing
    from servicepark.registry.models import Organization
    from servicepark.registry.services.organizations import organization_update_profile

    official = _u("official-jn")
    listing_add(
        actor=official,
        organization=_org(PAPER_LISTED),
        trigger="unreachable",
        evidence="纸质名录迁入：2024年8月两次挂号信均被退回，住所无法联系。",
        listed_on="2024-09-01",
    )
    grade_record_existing(
        actor=official,
        organization=_org("济南市市中区社会工作者协会"),
        grade="4A",
        awarded_on="2021-12-20",
        reference="济民评〔2021〕12号",
    )
    ymca = Organization.objects.filter(name__contains="青年会").first()
    if ymca is not None:
        grade_record_existing(
            actor=actor,
            organization=ymca,
            grade="5A",
            awarded_on="2022-03-10",
            reference="沪民评〔2022〕3号",
        )
    first, second = (_org(n) for n in SHARED_PHONE)
    organization_update_profile(actor=actor, organization=second, changes={"phone": first.phone})


def _warning() -> None:
    from servicepark.oversight.services.credit import sanction_record

    sanction_record(
        actor=_u("official-jn"),
        organization=_org("济南市市中区星火环保促进会"),
        kind="warning",
        decided_on="2026-08-12",
        reference="市中民罚〔2026〕4号",
        facts="未按章程规定召开会员大会换届。",
    )


def _grade_raindrop(step: int) -> None:
    from servicepark.oversight.models import GradeAssessment
    from servicepark.oversight.services.grades import grade_apply, grade_decide, grade_score

    raindrop = _org("济南市市中区雨滴公益服务中心")
    if step == 1:
        grade_apply(actor=_u("ngo-raindrop"), organization=raindrop)
        return
    item = GradeAssessment.objects.filter(organization=raindrop, state="applied").first()
    if item is None:
        return
    if step == 2:
        grade_score(
            actor=_u("expert2"),
            assessment=item,
            parts={"basic": "58", "governance": "335", "performance": "420", "public": "110"},
        )
        grade_score(
            actor=_u("expert4"),
            assessment=item,
            parts={"basic": "60", "governance": "341", "performance": "411", "public": "112"},
        )
    else:
        grade_decide(actor=_u("official-jn"), assessment=item)


def schedule_oversight(actor: Any, clock: Clock) -> None:
    from servicepark.oversight.models import OversightRun

    if OversightRun.objects.exists():
        return
    plan = [
        ("2026-01-06", "11:00", lambda: _paper_register(actor)),
        ("2026-03-20", "10:00", lambda: _file_reports(actor, "foundations")),
        ("2026-05-20", "10:00", lambda: _file_reports(actor, "others")),
        ("2026-06-03", "10:00", _handle_alerts),
        ("2026-06-18", "15:00", lambda: _late_filing(actor)),
        ("2026-06-22", "10:00", _verify),
        ("2026-07-10", "10:00", lambda: _letters(1)),
        ("2026-07-15", "10:00", lambda: _grade_raindrop(1)),
        ("2026-07-20", "10:00", lambda: _grade_raindrop(2)),
        ("2026-07-25", "10:00", lambda: _letters(2)),
        ("2026-07-27", "10:00", lambda: _grade_raindrop(3)),
        ("2026-08-05", "10:00", lambda: _letters(3)),
        ("2026-08-12", "10:00", _warning),
        ("2026-08-20", "10:00", lambda: _letters(4)),
    ]
    plan += [(day, "02:00", _run) for day in RUNS]
    for day, time, step in plan:
        clock.schedule(day, time, step)
