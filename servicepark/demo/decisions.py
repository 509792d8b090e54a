"""The demo's decided call: Jinan Shizhong's first batch of start-up grants for community
services, scored by expert1–expert4 (expert2 recused for a former employer), proposed with an
environment minimum (seed 001: environment is often left out), approved by the leading group,
published, and an objection answered on the record."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from servicepark.accounts.models import User
from servicepark.accounts.roles import Role
from servicepark.accounts.services import grant_add, user_create
from servicepark.demo.accounts import DEMO_PASSWORD

# The demo applies within seconds; the deadline then passes for real (no back-dating).
SECONDS_TO_APPLY = 8
BULLETIN_CALL = "市中区2026年社区服务初创项目资助（第一批）"
# organization, project, field, requested, the jurors' base total (of 100)
APPLICANTS = [
    ("济南市市中区阳光社区服务中心", "阳光四点半课堂", "community", "10000.00", 88),
    ("济南市市中区和睦助残服务中心", "残障青年就业支持小组", "disability", "10000.00", 85),
    ("济南市市中区蒲公英文化传播中心", "社区戏曲进楼院", "culture", "9000.00", 80),
    ("七里山街道蓝马甲志愿服务队", "楼道微治理志愿行动", "community", "6000.00", 74),
    ("济南市市中区星火环保促进会", "垃圾分类社区督导员", "environment", "8000.00", 70),
    ("济南市市中区知行青少年发展中心", "青少年生涯探索营", "youth", "9000.00", 0),
]
REJECTED = "济南市市中区知行青少年发展中心"
EXPERTS = {
    "expert1": ("四川大学社会发展与西部开发研究院", "13800510001", ["community", "elderly"]),
    "expert2": ("济南明德会计师事务所", "13800531002", ["community", "disability"]),
    "expert3": ("北京市汇仁律师事务所", "13800101003", ["legal", "community"]),
    "expert4": ("山东省社会工作协会", "13800531004", ["social_work", "youth", "culture"]),
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


def _user(actor: Any, username: str, display: str) -> User:
    user = User.objects.filter(username=username).first()
    return user or user_create(
        actor=actor, username=username, password=DEMO_PASSWORD, display_name=display
    )


def _experts(actor: Any) -> None:
    from servicepark.procurement.models import ExpertProfile, ExpertTie
    from servicepark.registry.models import Organization

    for username, (affiliation, phone, fields) in EXPERTS.items():
        from servicepark.registry.models.choices import fields_to_mask

        user = User.objects.get(username=username)
        ExpertProfile.objects.get_or_create(
            user=user,
            defaults={
                "affiliation": affiliation,
                "phone": phone,
                "fields": fields_to_mask(fields),
            },
        )
    former = Organization.objects.filter(name="济南市市中区和睦助残服务中心").first()
    profile = ExpertProfile.objects.get(user__username="expert2")
    if former and not ExpertTie.objects.filter(expert=profile, organization=former).exists():
        ExpertTie.objects.create(
            expert=profile, organization=former, kind="employee", ended_on=dt.date(2024, 6, 30)
        )


def _content(project: str, field: str, requested: str) -> dict[str, Any]:
    amount = Decimal(requested)
    return {
        "title": project,
        "field": field,
        "summary": f"{project}：依托社区服务站，由专职社工带领志愿者开展，每月固定活动。",
        "beneficiaries": "所在社区居民约 150 人",
        "targets": "全年开展活动不少于 24 次，参与不少于 600 人次",
        "activities": ["需求调研", "常规活动", "志愿者培训", "总结评估"],
        "budget_lines": [
            {"item": "活动物料", "requested": str(amount * Decimal("0.5")), "matching": {}},
            {"item": "人员补贴", "requested": str(amount * Decimal("0.5")), "matching": {}},
        ],
        "governance": {
            "leading_group": ["机构理事长"],
            "advisory_board": ["社区党委书记"],
            "project_office": ["项目主管", "社工"],
        },
    }


def load_bulletin(actor: Any) -> None:
    from servicepark.demo.procurement import RUBRIC
    from servicepark.procurement.models import Application, Call, Purchaser
    from servicepark.procurement.services.applications import (
        application_save_draft,
        application_start,
        application_submit,
    )
    from servicepark.procurement.services.attachments import attachment_add
    from servicepark.procurement.services.bulletins import objection_answer, objection_file
    from servicepark.procurement.services.calls import CallInput, call_create, call_publish
    from servicepark.procurement.services.catalogue import purchaser_leading_group_set
    from servicepark.procurement.services.decisions import (
        decision_propose,
        decision_publish,
        vote_cast,
    )
    from servicepark.procurement.services.jury import jury_assign, score_submit
    from servicepark.procurement.services.screening import (
        application_release_comment,
        application_screen,
    )
    from servicepark.registry.models import Organization

    if Call.objects.filter(title=BULLETIN_CALL).exists():
        return
    _experts(actor)
    shizhong = Purchaser.objects.get(name="济南市市中区民政局", division_id="370103")
    buyer = User.objects.get(username="purchaser-jn")
    official = User.objects.get(username="official-jn")
    leaders = [official] + [User.objects.get(username=f"leader-jn{i}") for i in (1, 2)]
    purchaser_leading_group_set(actor=official, purchaser=shizhong, members=leaders)
    zhixing = Organization.objects.get(name=REJECTED)
    objector = _user(actor, "ngo-zhixing", "知行青少年 · 周老师")
    grant_add(actor=actor, user=objector, role=Role.ORG_ADMIN, organization_id=zhixing.pk)

    now = timezone.now().replace(microsecond=0)
    closes = now + dt.timedelta(seconds=SECONDS_TO_APPLY)
    call = call_create(
        actor=buyer,
        purchaser=shizhong,
        data=CallInput(
            kind="grant",
            method="grant",
            title=BULLETIN_CALL,
            description="面向市中区孵化园在孵及新登记社会组织的社区服务初创项目，每个项目资助5000至10000元。",
            total_budget="30000.00",
            per_project_min="5000.00",
            per_project_cap="10000.00",
            rubric=RUBRIC,
            fields=["community", "disability", "culture", "environment", "youth"],
            eligibility={"kinds": ["direct", "filed", "registered"], "within": "370103"},
            required_documents=["项目计划书"],
            jury_size=3,
            objection_days=7,
            opens_at=now - dt.timedelta(days=30),
            closes_at=closes,
        ),
    )
    call = call_publish(actor=buyer, call=call)
    apps: dict[str, Application] = {}
    for name, project, field, requested, _base in APPLICANTS:
        org = Organization.objects.get(name=name)
        app = application_start(actor=actor, call=call, organization=org)
        application_save_draft(
            actor=actor, application=app, content=_content(project, field, requested)
        )
        attachment_add(actor=actor, application=app, upload=demo_pdf(project), label="项目计划书")
        application_submit(actor=actor, application=app, submission_key="demo")
        apps[name] = app
    # The deadline passes (the window was set to close seconds after the applications).
    time.sleep(max(0.0, (closes - timezone.now()).total_seconds()) + 0.2)

    center = User.objects.get(username="center-jn")
    for name, app in apps.items():
        if name == REJECTED:
            application_screen(
                actor=buyer,
                application=app,
                passed=False,
                reason="《项目计划书》未加盖机构公章，执行团队不足三人。",
            )
        else:
            application_screen(actor=center, application=app, passed=True)
    jury_assign(actor=buyer, call=call)
    bases = {name: base for name, _p, _f, _r, base in APPLICANTS}
    for name, app in apps.items():
        for n, sheet in enumerate(app.assignments.select_related("expert__user").order_by("id")):
            total = bases[name] + (n - 1) * 2
            scores = _split(total)
            score_submit(
                actor=sheet.expert.user,
                assignment=sheet,
                scores=scores,
                comment="方案清晰，建议细化成效指标。" if n == 0 else "",
            )
    application_release_comment(
        actor=buyer,
        application=apps["济南市市中区星火环保促进会"],
        comment="评审意见：项目切口小、可操作；建议与街道垃圾分类督导工作衔接，补充量化指标。",
    )
    decision = decision_propose(
        actor=buyer,
        call=call,
        limits={"min_per_field": {"environment": "8000.00"}, "max_per_organization": 1},
    )
    vote_cast(actor=leaders[1], decision=decision, choice="approve", comment="同意，兼顾环保领域。")
    decision = vote_cast(actor=leaders[2], decision=decision, choice="approve")
    decision = decision_publish(actor=buyer, decision=decision)
    objection = objection_file(
        actor=objector,
        decision=decision,
        organization_id=zhixing.pk,
        text="我中心提交的计划书扫描件已盖章，资格审查结论有误，请复核。",
    )
    objection_answer(
        actor=buyer,
        objection=objection,
        answer="经复核，提交的《项目计划书》第3页起未加盖公章，且团队成员不足三人，审查结论维持。欢迎参加第二批申报。",
        upheld=False,
    )


def _split(total: int) -> dict[str, int]:
    """A juror's total spread over the rubric (25 / 35 / 25 / 15) in proportion."""
    need = round(total * 25 / 100)
    design = round(total * 35 / 100)
    capacity = round(total * 25 / 100)
    return {
        "need": need,
        "design": design,
        "capacity": capacity,
        "budget": total - need - design - capacity,
    }
