"""Demo purchases: Chengdu's 2012 guiding catalogue (¥160 M over five kinds of service)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from servicepark.accounts.models import User
from servicepark.procurement.models import Catalogue, Purchaser
from servicepark.procurement.services.catalogue import (
    catalogue_create,
    catalogue_entry_add,
    catalogue_publish,
    purchaser_create,
)

# (code, name, fields, budget) — tiers follow from the code length: 1, 3 and 5 characters.
CHENGDU_2012 = [
    ("A", "基本公共服务", [], None),
    ("A01", "就业服务", [], None),
    ("A0101", "就业技能培训", ["employment", "education"], "40000000.00"),
    ("A02", "教育服务", [], None),
    ("A0201", "中小学教师培训", ["education"], "30000000.00"),
    ("A03", "文化与健康", [], None),
    ("A0301", "文化惠民与健康促进", ["culture", "medical"], "25000000.00"),
    ("B", "社会管理性服务", [], None),
    ("B01", "公共法律服务", [], None),
    ("B0101", "社区法律服务", ["legal", "community"], "20000000.00"),
    ("B02", "养老服务", [], None),
    ("B0201", "社区居家养老服务", ["elderly", "community"], "45000000.00"),
]


def load_procurement(actor: Any) -> None:
    purchaser = Purchaser.objects.filter(division_id="510100", name="成都市民政局").first()
    if purchaser is None:
        purchaser = purchaser_create(
            actor=actor, name="成都市民政局", kind="civil_affairs", division_code="510100"
        )
    if Catalogue.objects.filter(purchaser=purchaser, year=2012).exists():
        return
    buyer = User.objects.get(username="purchaser-cd")
    catalogue = catalogue_create(actor=buyer, purchaser=purchaser, year=2012)
    entries: dict[str, Any] = {}
    for code, name, fields, budget in CHENGDU_2012:
        parent = entries.get(code[:-2]) if len(code) > 1 else None
        entries[code] = catalogue_entry_add(
            actor=buyer,
            catalogue=catalogue,
            code=code,
            name=name,
            parent=parent,
            fields=fields,
            budget=budget,
        )
    catalogue_publish(actor=buyer, catalogue=catalogue)


RUBRIC = [
    {"key": "need", "name": "需求分析与项目必要性", "max_points": 25},
    {"key": "design", "name": "项目设计与实施方案", "max_points": 35},
    {"key": "capacity", "name": "机构能力与项目治理", "max_points": 25},
    {"key": "budget", "name": "预算合理性与配套资金", "max_points": 15},
]
# Central-finance programme categories (DOMAIN.md): code, name, cap, fields.
CENTRAL_CATEGORIES = [
    ("A", "发展示范项目", "50000.00", ["community", "elderly"]),
    ("B", "承接社会服务试点项目", "800000.00", ["elderly", "medical", "disaster"]),
    ("C", "社会工作服务示范项目", "400000.00", ["social_work"]),
    ("D", "人员培训示范项目", "300000.00", ["education"]),
]


def _ensure_purchaser(actor: Any, name: str, kind: str, division: str) -> Purchaser:
    existing = Purchaser.objects.filter(division_id=division, name=name).first()
    return existing or purchaser_create(actor=actor, name=name, kind=kind, division_code=division)


def _ensure_call(buyer: Any, purchaser: Purchaser, data: Any) -> None:
    from servicepark.procurement.models import Call
    from servicepark.procurement.services.calls import call_create, call_publish

    if Call.objects.filter(purchaser=purchaser, title=data.title).exists():
        return
    call_publish(actor=buyer, call=call_create(actor=buyer, purchaser=purchaser, data=data))


def load_calls(actor: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from servicepark.procurement.models import CatalogueEntry
    from servicepark.procurement.services.calls import CallInput

    now = timezone.now().replace(microsecond=0)
    opens, closes = now - dt.timedelta(days=3), now + dt.timedelta(days=30)
    eligibility = {"kinds": ["registered", "direct", "attached"], "min_years": 1}
    buyer_cd = User.objects.get(username="purchaser-cd")
    chengdu = Purchaser.objects.get(division_id="510100", name="成都市民政局")
    elderly = CatalogueEntry.objects.get(catalogue__purchaser=chengdu, code="B0201")
    _ensure_call(
        buyer_cd,
        chengdu,
        CallInput(
            kind="purchase",
            method="public_tender",
            title="2012年成都市社区居家养老服务项目",
            total_budget="3000000.00",
            per_project_cap="300000.00",
            rubric=RUBRIC,
            catalogue_item=elderly,
            matching_ratio="0",
            eligibility=eligibility,
            required_documents=["登记证书", "年度检查结论", "项目实施方案", "项目预算表"],
            jury_size=3,
            opens_at=opens,
            closes_at=closes,
        ),
    )

    # The central-finance programme: MoCA buys through the national fund (in Beijing here).
    moca = _ensure_purchaser(
        actor, "民政部（中央财政支持社会组织参与社会服务项目）", "civil_affairs", "110000"
    )
    for code, name, cap, fields in CENTRAL_CATEGORIES:
        _ensure_call(
            actor,
            moca,
            CallInput(
                kind="purchase",
                method="competitive_consultation",
                title=f"中央财政支持社会组织参与社会服务项目·{code}类{name}",
                total_budget=str(Decimal(cap) * 20),
                per_project_cap=cap,
                rubric=RUBRIC,
                off_catalogue_reason="中央财政专项资金项目，按民政部年度实施方案执行",
                matching_ratio="0.5",
                fields=fields,
                eligibility={"kinds": ["registered", "direct"], "min_years": 2},
                required_documents=[
                    "项目申报书",
                    "配套资金承诺函",
                    "项目领导小组、专家组和项目办名单",
                ],
                jury_size=5,
                opens_at=opens,
                closes_at=closes,
            ),
        )

    # Jinan Shizhong park: start-up subsidies of ¥5,000–10,000 per programme.
    shizhong = _ensure_purchaser(actor, "济南市市中区民政局", "civil_affairs", "370103")
    _ensure_call(
        actor,
        shizhong,
        CallInput(
            kind="grant",
            method="grant",
            title="市中区社会组织孵化园初创项目资助",
            total_budget="100000.00",
            per_project_min="5000.00",
            per_project_cap="10000.00",
            rubric=RUBRIC,
            fields=["community", "children", "elderly", "environment", "culture"],
            eligibility={"kinds": ["direct", "filed", "attached"], "within": "370103"},
            required_documents=["项目计划书"],
            jury_size=3,
            opens_at=opens,
            closes_at=closes,
        ),
    )


def _content(title: str, requested: str, matching: str, leader: str, field: str) -> dict[str, Any]:
    return {
        "title": title,
        "field": field,
        "summary": f"{title}：以社区为依托，组织专业社工和志愿者开展服务。",
        "beneficiaries": "辖区困难群体约 300 人",
        "targets": "全年服务不少于 2,000 人次，满意度不低于 90%",
        "activities": ["需求调研与建档", "个案与小组服务", "志愿者培训", "成效评估"],
        "budget_lines": [
            {
                "item": "人员费用",
                "requested": str(Decimal(requested) * Decimal("0.6")),
                "matching": {"自筹": str(Decimal(matching) * Decimal("0.5"))},
            },
            {
                "item": "活动费用",
                "requested": str(Decimal(requested) * Decimal("0.4")),
                "matching": {"基金会资助": str(Decimal(matching) * Decimal("0.5"))},
            },
        ],
        "governance": {
            "leading_group": [leader],
            "advisory_board": ["高教授（四川大学）"],
            "project_office": [leader, "项目专员"],
        },
    }


def load_applications(actor: Any) -> None:
    """SpinaChina and Raindrop have applied; the Xicheng association applies for Mu You."""
    import datetime as dt

    from django.utils import timezone

    from servicepark.demo.history import demo_pdf
    from servicepark.procurement.models import Application, Call
    from servicepark.procurement.services.applications import (
        application_save_draft,
        application_start,
        application_submit,
    )
    from servicepark.procurement.services.attachments import attachment_add
    from servicepark.procurement.services.calls import CallInput, call_create, call_publish
    from servicepark.registry.models import Organization

    xicheng = _ensure_purchaser(actor, "北京市西城区民政局", "civil_affairs", "110102")
    title = "西城区社会工作服务专项资金（2026）"
    if not Call.objects.filter(purchaser=xicheng, title=title).exists():
        now = timezone.now().replace(microsecond=0)
        call_publish(
            actor=actor,
            call=call_create(
                actor=actor,
                purchaser=xicheng,
                data=CallInput(
                    kind="grant",
                    method="grant",
                    title=title,
                    total_budget="600000.00",
                    per_project_cap="150000.00",
                    rubric=RUBRIC,
                    matching_ratio="0.2",
                    fields=["social_work", "medical", "elderly"],
                    eligibility={"kinds": ["direct", "attached"], "within": "110102"},
                    opens_at=now - dt.timedelta(days=2),
                    closes_at=now + dt.timedelta(days=25),
                ),
            ),
        )
    plans = [
        (
            "ngo-spina",
            "spina",
            "2012年成都市社区居家养老服务项目",
            "脊柱裂患者居家康复支持",
            "280000.00",
            "0",
            "王晓明",
            "elderly",
        ),
        (
            "ngo-raindrop",
            "raindrop",
            "市中区社会组织孵化园初创项目资助",
            "雨滴儿童阅读角",
            "8000.00",
            "0",
            "刘雨",
            "children",
        ),
        (
            "assoc-xicheng",
            "muyou",
            title,
            "医务社工陪伴计划",
            "120000.00",
            "24000.00",
            "牧晓",
            "medical",
        ),
    ]
    names = {
        "spina": "成都高新区推动力公益发展中心",
        "raindrop": "济南市市中区雨滴公益服务中心",
        "muyou": "北京市西城区牧友社会工作事务所",
    }
    for username, key, call_title, project, requested, matching, leader, field in plans:
        call = Call.objects.get(title=call_title)
        org = Organization.objects.filter(name=names[key]).order_by("id").first()
        if org is None or Application.objects.filter(call=call, organization=org).exists():
            continue
        user = User.objects.get(username=username)
        app = application_start(actor=user, call=call, organization=org)
        application_save_draft(
            actor=user,
            application=app,
            content=_content(project, requested, matching, leader, field),
        )
        for label in call.required_documents:
            attachment_add(actor=user, application=app, upload=demo_pdf(label), label=label)
        application_submit(actor=user, application=app, submission_key="demo")
