"""The demo's 2026 so far, replayed on its own dates (see demo/clock.py):

* Jinan Shizhong's first batch of start-up grants for community services: six applications,
  one rejected at screening, scored by expert1–expert4 (expert2 recused for a former employer),
  proposed with an environment minimum (seed 001: environment is often left out) — the
  optimiser keeps the environment project the greedy choice drops — approved by the leading
  group, published, an objection answered, final; three contracts paid by milestone, reports
  (one overdue), service records, beneficiary answers, and a completed third-party evaluation.
* Xicheng's "1 + 4" programme (seed 003): the district social-work association applies for
  Mu You (attached) and Shanlin (a member); the money flows to the association, which keeps
  its 10 % fee (30 % of it into the emergency pool) and passes the rest on; Shanlin's elderly
  day care is paid partly by vouchers; Yuequn asks the pool for support and gets it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from servicepark.accounts.models import User
from servicepark.demo.clock import Clock

JINAN_CALL = "市中区2026年社区服务初创项目资助（第一批）"
XICHENG_CALL = "西城区“1+4”社会工作服务项目（2026年第一批）"
# organization, project, field, requested, the jurors' base total (of 100)
JINAN_APPLICANTS = [
    ("济南市市中区阳光社区服务中心", "阳光四点半课堂", "community", "10000.00", 88),
    ("济南市市中区和睦助残服务中心", "残障青年就业支持小组", "disability", "10000.00", 85),
    ("济南市市中区蒲公英文化传播中心", "社区戏曲进楼院", "culture", "9000.00", 80),
    ("七里山街道蓝马甲志愿服务队", "楼道微治理志愿行动", "community", "6000.00", 74),
    ("济南市市中区星火环保促进会", "垃圾分类社区督导员", "environment", "8000.00", 70),
    ("济南市市中区知行青少年发展中心", "青少年生涯探索营", "youth", "9000.00", 0),
]
XICHENG_APPLICANTS = [
    ("北京市西城区牧友社会工作事务所", "医院社工陪伴计划", "medical", "120000.00", 86),
    ("北京市善邻社区服务中心", "善邻长者日间照料", "elderly", "100000.00", 82),
]
REJECTED = "济南市市中区知行青少年发展中心"
EXPERTS = {
    "expert1": ("四川大学社会发展与西部开发研究院", "13800510001", ["community", "elderly"]),
    "expert2": ("济南明德会计师事务所", "13800531002", ["community", "disability"]),
    "expert3": ("北京市汇仁律师事务所", "13800101003", ["legal", "community"]),
    "expert4": ("山东省社会工作协会", "13800531004", ["social_work", "youth", "culture"]),
    "expert5": ("北京师范大学社会发展与公共政策学院", "13800101005", ["medical", "elderly"]),
    "expert6": ("北京市社会工作督导中心", "13800101006", ["social_work", "medical"]),
}


def demo_pdf(title: str) -> SimpleUploadedFile:
    """A one-page PDF standing in for a scanned document."""
    body = (
        b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n"
        b"2 0 obj<< /Type /Pages /Kids [3 0 R] /Count 1 >>endobj\n"
        b"3 0 obj<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>endobj\n"
        b"trailer<< /Root 1 0 R >>\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{title}.pdf", body, content_type="application/pdf")


def _u(username: str) -> User:
    return User.objects.get(username=username)


def _split(total: int) -> dict[str, int]:
    """A juror's total spread over the demo rubric (25 / 35 / 25 / 15) in proportion."""
    need, design, capacity = round(total * 0.25), round(total * 0.35), round(total * 0.25)
    return {
        "need": need,
        "design": design,
        "capacity": capacity,
        "budget": total - need - design - capacity,
    }


def _content(project: str, field: str, requested: str, matching: str) -> dict[str, Any]:
    amount, match = Decimal(requested), Decimal(matching)
    return {
        "title": project,
        "field": field,
        "summary": f"{project}：依托社区服务站，由专职社工带领志愿者开展，每月固定活动。",
        "beneficiaries": "所在社区居民约 150 人",
        "targets": "全年开展活动不少于 24 次，参与不少于 600 人次",
        "activities": ["需求调研", "常规活动", "志愿者培训", "总结评估"],
        "budget_lines": [
            {
                "item": "活动物料",
                "requested": str(amount / 2),
                "matching": {"自筹": str(match)} if match else {},
            },
            {"item": "人员补贴", "requested": str(amount / 2), "matching": {}},
        ],
        "governance": {
            "leading_group": ["机构理事长"],
            "advisory_board": ["社区党委书记"],
            "project_office": ["项目主管", "社工"],
        },
    }


def _experts() -> None:
    from servicepark.procurement.models import ExpertProfile, ExpertTie
    from servicepark.registry.models import Organization
    from servicepark.registry.models.choices import fields_to_mask

    for username, (affiliation, phone, fields) in EXPERTS.items():
        ExpertProfile.objects.get_or_create(
            user=_u(username),
            defaults={"affiliation": affiliation, "phone": phone, "fields": fields_to_mask(fields)},
        )
    former = Organization.objects.get(name="济南市市中区和睦助残服务中心")
    profile = ExpertProfile.objects.get(user__username="expert2")
    ExpertTie.objects.get_or_create(
        expert=profile,
        organization=former,
        kind="employee",
        defaults={"ended_on": dt.date(2024, 6, 30)},
    )


def load_history(actor: Any, clock: Clock) -> None:
    from servicepark.procurement.models import Call

    if Call.objects.filter(title=JINAN_CALL).exists():
        return
    from servicepark.demo.history_money import run_contracts
    from servicepark.demo.history_selection import run_selection

    decisions = run_selection(actor, clock)
    run_contracts(actor, clock, decisions)
