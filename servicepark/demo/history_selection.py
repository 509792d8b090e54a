"""The demo's spring 2026: two calls from opening to final awards (see demo/history.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from servicepark.demo.clock import BEIJING, Clock
from servicepark.demo.history import (
    JINAN_APPLICANTS,
    JINAN_CALL,
    REJECTED,
    XICHENG_APPLICANTS,
    XICHENG_CALL,
    _content,
    _experts,
    _split,
    _u,
    demo_pdf,
)


def _instant(day: str, time: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


def run_selection(actor: Any, clock: Clock) -> dict[str, Any]:
    from servicepark.accounts.roles import Role
    from servicepark.accounts.services import grant_add
    from servicepark.demo.procurement import RUBRIC, _ensure_purchaser
    from servicepark.procurement.services.applications import (
        application_save_draft,
        application_start,
        application_submit,
    )
    from servicepark.procurement.services.attachments import attachment_add
    from servicepark.procurement.services.bulletins import (
        decision_finalize,
        objection_answer,
        objection_file,
    )
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
    from servicepark.procurement.services.support import association_finance_set
    from servicepark.registry.models import AssociationMember, Organization
    from servicepark.registry.services.associations import association_member_add

    clock.at("2026-03-01", "09:00")
    _experts()
    shizhong = _ensure_purchaser(actor, "济南市市中区民政局", "civil_affairs", "370103")
    xicheng = _ensure_purchaser(actor, "北京市西城区民政局", "civil_affairs", "110102")
    purchaser_leading_group_set(
        actor=_u("official-jn"),
        purchaser=shizhong,
        members=[_u("official-jn"), _u("leader-jn1"), _u("leader-jn2")],
    )
    purchaser_leading_group_set(
        actor=actor, purchaser=xicheng, members=[_u("leader-xc1"), _u("leader-xc2")]
    )
    association = Organization.objects.get(name="北京市西城区社会工作协会")
    association_finance_set(
        actor=_u("assoc-xicheng"), association=association, fee_rate="10%", pool_share="30%"
    )
    # "1 + 4": besides the attached organizations, two members keep their own registration.
    for name in ("北京市西城区希望社会工作事务所", "北京市善邻社区服务中心"):
        member = Organization.objects.get(name=name)
        if not AssociationMember.objects.filter(association=association, member=member).exists():
            association_member_add(
                actor=_u("assoc-xicheng"), association=association, member=member
            )
    zhixing = Organization.objects.get(name=REJECTED)
    objector = _u("ngo-zhixing")  # a generated organization: granted here, not by key
    grant_add(actor=actor, user=objector, role=Role.ORG_ADMIN, organization_id=zhixing.pk)

    clock.at("2026-03-01", "09:30")
    calls = {}
    plans_of_calls: list[tuple[Any, str, str, dict[str, Any]]] = [
        (
            shizhong,
            "purchaser-jn",
            JINAN_CALL,
            {
                "description": (
                    "面向市中区孵化园在孵及新登记社会组织的社区服务初创项目，"
                    "每个项目资助5000至10000元。"
                ),
                "total_budget": "30000.00",
                "per_project_min": "5000.00",
                "per_project_cap": "10000.00",
                "fields": ["community", "disability", "culture", "environment", "youth"],
                "eligibility": {"kinds": ["direct", "filed", "registered"], "within": "370103"},
            },
        ),
        (
            xicheng,
            "purchaser-xc",
            XICHENG_CALL,
            {
                "description": "由区社会工作协会统筹申报，会员单位和挂靠机构实施（“1+4”模式）。",
                "total_budget": "300000.00",
                "per_project_cap": "150000.00",
                "matching_ratio": "0.2",
                "fields": ["medical", "elderly", "social_work"],
                "eligibility": {"kinds": ["direct", "attached"], "within": "110102"},
            },
        ),
    ]
    for purchaser, buyer, title, data in plans_of_calls:
        call = call_create(
            actor=_u(buyer),
            purchaser=purchaser,
            data=CallInput(
                kind="grant",
                method="grant",
                title=title,
                rubric=RUBRIC,
                required_documents=["项目计划书"],
                jury_size=3,
                objection_days=7,
                opens_at=_instant("2026-03-01", "09:00"),
                closes_at=_instant("2026-03-31", "17:00"),
                **data,
            ),
        )
        calls[title] = call_publish(actor=_u(buyer), call=call)

    apps: dict[str, Any] = {}
    day = 10
    plans = [(JINAN_CALL, a, None, "0") for a in JINAN_APPLICANTS] + [
        (XICHENG_CALL, a, "assoc-xicheng", str(int(float(a[3]) * 0.2))) for a in XICHENG_APPLICANTS
    ]
    for title, (name, project, field, requested, _base), filer, matching in plans:
        clock.at(f"2026-03-{day:02d}", "10:00")
        day += 1
        who = _u(filer) if filer else actor
        org = Organization.objects.get(name=name)
        app = application_start(actor=who, call=calls[title], organization=org)
        application_save_draft(
            actor=who, application=app, content=_content(project, field, requested, matching)
        )
        attachment_add(actor=who, application=app, upload=demo_pdf(project), label="项目计划书")
        application_submit(actor=who, application=app, submission_key="demo")
        apps[name] = app

    clock.at("2026-04-01", "10:00")
    for name, app in apps.items():
        if name == REJECTED:
            application_screen(
                actor=_u("purchaser-jn"),
                application=app,
                passed=False,
                reason="《项目计划书》未加盖机构公章，执行团队不足三人。",
            )
        else:
            screener = "center-jn" if app.call.title == JINAN_CALL else "purchaser-xc"
            application_screen(actor=_u(screener), application=app, passed=True)
    jury_assign(actor=_u("purchaser-jn"), call=calls[JINAN_CALL])
    jury_assign(actor=_u("purchaser-xc"), call=calls[XICHENG_CALL])

    bases = {name: base for name, _p, _f, _r, base in JINAN_APPLICANTS + XICHENG_APPLICANTS}
    for offset, (name, app) in enumerate(apps.items()):
        clock.at(f"2026-04-{2 + offset // 3:02d}", f"{10 + offset % 3}:00")
        for n, sheet in enumerate(app.assignments.select_related("expert__user").order_by("id")):
            score_submit(
                actor=sheet.expert.user,
                assignment=sheet,
                scores=_split(bases[name] + (n - 1) * 2),
                comment="方案清晰，建议细化成效指标。" if n == 0 else "",
            )

    clock.at("2026-04-08", "15:00")
    application_release_comment(
        actor=_u("purchaser-jn"),
        application=apps["济南市市中区星火环保促进会"],
        comment="评审意见：项目切口小、可操作；建议与街道垃圾分类督导工作衔接，补充量化指标。",
    )
    jinan = decision_propose(
        actor=_u("purchaser-jn"),
        call=calls[JINAN_CALL],
        limits={"min_per_field": {"environment": "8000.00"}, "max_per_organization": 1},
    )
    xc = decision_propose(actor=_u("purchaser-xc"), call=calls[XICHENG_CALL])

    clock.at("2026-04-09", "16:00")
    vote_cast(
        actor=_u("leader-jn1"), decision=jinan, choice="approve", comment="同意，兼顾环保领域。"
    )
    jinan = vote_cast(actor=_u("leader-jn2"), decision=jinan, choice="approve")
    vote_cast(actor=_u("leader-xc1"), decision=xc, choice="approve")
    xc = vote_cast(actor=_u("leader-xc2"), decision=xc, choice="approve", comment="同意。")

    clock.at("2026-04-10", "10:00")
    jinan = decision_publish(actor=_u("purchaser-jn"), decision=jinan)
    xc = decision_publish(actor=_u("purchaser-xc"), decision=xc)

    clock.at("2026-04-12", "11:20")
    objection = objection_file(
        actor=objector,
        decision=jinan,
        organization_id=zhixing.pk,
        text="我中心提交的计划书扫描件已盖章，资格审查结论有误，请复核。",
    )
    clock.at("2026-04-14", "14:00")
    objection_answer(
        actor=_u("purchaser-jn"),
        objection=objection,
        answer="经复核，提交的《项目计划书》第3页起未加盖公章，且团队成员不足三人，审查结论维持。欢迎参加第二批申报。",
        upheld=False,
    )

    clock.at("2026-04-18", "09:00")
    jinan = decision_finalize(actor=_u("purchaser-jn"), decision=jinan)
    xc = decision_finalize(actor=_u("purchaser-xc"), decision=xc)
    return {"jinan": jinan, "xicheng": xc}
