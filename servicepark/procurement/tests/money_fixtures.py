"""A final award and its signed, active contract: the starting point of the money tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.procurement.models import Decision
from servicepark.procurement.services.bulletins import decision_finalize
from servicepark.procurement.services.contracts import (
    ContractInput,
    MilestoneInput,
    contract_create,
    contract_sign,
    contract_transition,
)
from servicepark.procurement.services.decisions import decision_propose, decision_publish, vote_cast


def finalize(call, buyer, group) -> Decision:
    decision = decision_propose(actor=buyer, call=call)
    for member in group[:2]:
        vote_cast(actor=member, decision=decision, choice="approve")
    decision = decision_publish(actor=buyer, decision=Decision.objects.get(pk=decision.pk))
    return decision_finalize(
        actor=buyer, decision=decision, now=decision.objection_ends_at + dt.timedelta(seconds=1)
    )


def contract_input(price: str = "200000.00", vouchers: str = "0", **overrides) -> ContractInput:
    """Two milestones sharing the price, less the voucher budget."""
    start = timezone.localdate()
    half = f"{(Decimal(price) - Decimal(vouchers)) / 2:.2f}"
    data = ContractInput(
        title="社区长者关爱服务合同",
        service_content="上门探访与健康讲座",
        beneficiaries="独居老人 200 人",
        quantities="每月探访 800 人次，满意度不低于 90%",
        price=price,
        starts_on=start,
        ends_on=start + dt.timedelta(days=300),
        voucher_budget=vouchers,
        milestones=[
            MilestoneInput("中期", "中期报告", start + dt.timedelta(days=120), half),
            MilestoneInput("结项", "结项报告", start + dt.timedelta(days=290), half),
        ],
    )
    for key, value in overrides.items():
        if key != "days":
            setattr(data, key, value)
    return data


@pytest.fixture
def awarded(scored):
    """(call, buyer, apps, final decision): 甲 200,000, 乙 150,000, 丙 100,000 awarded."""
    call, buyer, apps, group, _experts = scored
    return call, buyer, apps, finalize(call, buyer, group)


def sign_and_start(buyer, award, provider_actor, data: ContractInput | None = None):
    contract = contract_create(
        actor=buyer, award=award, data=data or contract_input(str(award.amount))
    )
    contract_sign(actor=buyer, contract=contract, side="purchaser")
    contract_sign(actor=provider_actor, contract=contract, side="provider")
    return contract_transition(actor=buyer, contract=contract, action="activate")


def provider_admin(application):
    return make_user("org_admin", organization=application.organization)
