"""What has happened in the demo world: people, a suspension, a pending change request."""

from __future__ import annotations

from typing import Any

from servicepark.accounts.models import User
from servicepark.registry.models import ChangeRequest, Membership, Organization, Status
from servicepark.registry.services.organizations import (
    organization_transition,
    organization_update_profile,
)
from servicepark.registry.services.people import membership_add

PEOPLE = [
    ("spina", "王晓明", "legal_representative", "13800280001"),
    ("spina", "高建", "board_member", "13800280002"),
    ("raindrop", "刘雨", "legal_representative", "13900531001"),
    ("xc-assoc", "郑红", "legal_representative", "13901010001"),
    ("yuequn", "岳群", "director", "13901010002"),
]


def load_people(actor: Any, orgs: dict[str, Organization]) -> None:
    for key, name, role, phone in PEOPLE:
        org = orgs[key]
        if not Membership.objects.filter(organization=org, person__name=name, role=role).exists():
            membership_add(actor=actor, organization=org, name=name, role=role, phone=phone)


def load_stories(actor: Any, orgs: dict[str, Organization]) -> None:
    official_jn = User.objects.get(username="official-jn")
    generated = Organization.objects.filter(
        division_id="370103012", status=Status.REGISTERED
    ).first()
    if (
        generated is not None
        and not Organization.objects.filter(
            division__code__startswith="370103", status=Status.SUSPENDED
        ).exists()
    ):
        organization_transition(
            actor=official_jn,
            organization=generated,
            action="suspend",
            reason="连续两年未按时提交年度报告，责令整改",
        )
    spina = orgs["spina"]
    if not ChangeRequest.objects.filter(organization=spina).exists():
        organization_update_profile(
            actor=User.objects.get(username="ngo-spina"),
            organization=spina,
            changes={
                "address": "成都市高新区紫瑞北街8号公益组织服务园3楼A区",
                "description": "推动力致力于脊柱裂等残障群体的康复支持与社会融入。",
            },
        )
