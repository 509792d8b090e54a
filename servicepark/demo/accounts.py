"""Demo accounts, all with the password `demo-pass-2026`."""

from __future__ import annotations

from typing import Any

from servicepark.accounts.models import User
from servicepark.accounts.roles import Role
from servicepark.accounts.services import grant_add, user_create
from servicepark.registry.models import Organization

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  (published demo credential)

# username, display name, [(role, division code or organization key)]
DEMO_ACCOUNTS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("official-sh", "上海普陀区民政局 · 林官员", [(Role.OFFICIAL, "310107")]),
    ("official-cd", "成都市民政局 · 何官员", [(Role.OFFICIAL, "510100")]),
    ("official-jn", "济南市中区民政局 · 韩官员", [(Role.OFFICIAL, "370103")]),
    ("center-cd", "成都公益组织服务园 · 徐主任", [(Role.CENTER_STAFF, "510107")]),
    ("center-jn", "市中区孵化园 · 张老师", [(Role.CENTER_STAFF, "370103")]),
    ("center-sh", "长寿路社会组织服务中心 · 周老师", [(Role.CENTER_STAFF, "310107015")]),
    ("purchaser-cd", "成都市民政局购买服务处 · 钱处长", [(Role.PURCHASER, "510100")]),
    ("purchaser-jn", "市中区民政局社会组织科 · 马科长", [(Role.PURCHASER, "370103")]),
    # Experts serve in several pools: expert1 and expert3 also sit in Shandong's.
    ("expert1", "专家 · 高教授（四川大学）", [(Role.EXPERT, "510100"), (Role.EXPERT, "370000")]),
    ("expert2", "专家 · 罗会计师", [(Role.EXPERT, "370103")]),
    ("expert3", "专家 · 潘律师", [(Role.EXPERT, "110102"), (Role.EXPERT, "370000")]),
    ("expert4", "专家 · 孙督导（山东省社会工作协会）", [(Role.EXPERT, "370100")]),
    ("leader-jn1", "市中区民政局 · 赵局长（领导小组组长）", []),
    ("leader-jn2", "市中区民政局 · 钱副局长（领导小组成员）", []),
    ("purchaser-xc", "西城区民政局社会工作科 · 孙科长", [(Role.PURCHASER, "110102")]),
    ("leader-xc1", "西城区民政局 · 冯局长（领导小组组长）", []),
    ("leader-xc2", "西城区民政局 · 褚副局长（领导小组成员）", []),
    ("expert5", "专家 · 吴教授（北京师范大学）", [(Role.EXPERT, "110000")]),
    ("expert6", "专家 · 陈督导（北京市社会工作督导中心）", [(Role.EXPERT, "110000")]),
    ("evaluator-jn", "众诚评估 · 周正", [(Role.ORG_MEMBER, "org:jn-evaluator")]),
    ("ngo-yuequn", "悦群 · 岳群", [(Role.ORG_ADMIN, "org:yuequn")]),
    ("ngo-zhixing", "知行青少年 · 周老师", []),
    ("ngo-spina", "推动力 · 王晓明", [(Role.ORG_ADMIN, "org:spina")]),
    ("ngo-raindrop", "雨滴 · 刘雨", [(Role.ORG_ADMIN, "org:raindrop")]),
    ("assoc-xicheng", "西城区社会工作协会 · 郑红", [(Role.ASSOCIATION_STAFF, "org:xc-assoc")]),
    (
        "auditor",
        "审计 · 只读",
        [
            (Role.AUDITOR, "510000"),
            (Role.AUDITOR, "370000"),
            (Role.AUDITOR, "310000"),
            (Role.AUDITOR, "110000"),
        ],
    ),
]


def load_accounts(actor: Any, orgs: dict[str, Organization]) -> None:
    for username, display, grants in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=actor, username=username, password=DEMO_PASSWORD, display_name=display
            )
        for role, scope in grants:
            if scope.startswith("org:"):
                grant_add(actor=actor, user=user, role=role, organization_id=orgs[scope[4:]].pk)
            else:
                grant_add(actor=actor, user=user, role=role, division_code=scope)
