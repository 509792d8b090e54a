"""Contracts from final awards, and the call's money: reserved at award, committed at
signing, paid at payment — never overspent, never paid twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from servicepark.common.audit import audit_verify
from servicepark.procurement.models import Call, Contract, Payment, Report
from servicepark.procurement.services.contracts import (
    contract_create,
    contract_sign,
    contract_transition,
)
from servicepark.procurement.services.payments import (
    milestone_accept,
    milestone_pay,
    milestone_submit,
)
from servicepark.procurement.tests.money_fixtures import (  # noqa: F401  (fixtures)
    awarded,
    contract_input,
    provider_admin,
    sign_and_start,
)
from servicepark.procurement.tests.test_decisions import scored  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def award_of(decision, app):
    return decision.awards.get(application=app)


def test_final_awards_reserve_and_signing_commits(awarded):  # noqa: F811
    call, buyer, apps, decision = awarded
    call.refresh_from_db()
    assert call.reserved == Decimal("450000.00") and call.committed == 0
    award = award_of(decision, apps[0])
    contract = contract_create(actor=buyer, award=award, data=contract_input("190000.00"))
    assert contract.number.startswith("510100-") and contract.payee == apps[0].organization
    assert contract.governance["leading_group"] == ["王晓明"]
    with pytest.raises(ValidationError):
        contract_create(actor=buyer, award=award, data=contract_input("190000.00"))  # twice
    admin = provider_admin(apps[0])
    contract_sign(actor=buyer, contract=contract, side="purchaser")
    with pytest.raises(ValidationError):
        contract_sign(actor=buyer, contract=contract, side="purchaser")
    with pytest.raises(PermissionDenied):
        contract_sign(actor=buyer, contract=contract, side="provider")
    contract = contract_sign(actor=admin, contract=contract, side="provider")
    assert contract.state == "signed"
    call.refresh_from_db()
    # The award's 200,000 reservation became a 190,000 commitment; 10,000 went back.
    assert (call.reserved, call.committed) == (Decimal("250000.00"), Decimal("190000.00"))
    assert Report.objects.filter(contract=contract).count() >= 3
    assert contract.survey.token
    assert audit_verify() is None


@pytest.mark.parametrize(
    ("overrides", "field", "needle"),
    [
        ({"price": "250000.00"}, "price", "at most the award"),
        ({"price": "-5"}, "price", "negative"),
        ({"days": 3 * 366 + 10}, "ends_on", "at most 3 years"),
        ({"days": 500}, "ends_on", "stable continuous"),
        ({"title": ""}, "title", "Fill this in"),
    ],
)
def test_bad_contracts_are_refused(awarded, overrides, field, needle):  # noqa: F811
    call, buyer, apps, decision = awarded
    award = award_of(decision, apps[0])
    overrides = dict(overrides)
    data = contract_input(overrides.pop("price", "200000.00"), **overrides)
    if "days" in overrides:
        data.ends_on = data.starts_on + dt.timedelta(days=overrides["days"])
    with pytest.raises(ValidationError) as err:
        contract_create(actor=buyer, award=award, data=data)
    assert needle in " ".join(err.value.message_dict[field])
    assert not Contract.objects.exists()


def test_a_continuous_service_may_run_three_years_with_reasons(awarded):  # noqa: F811
    call, buyer, apps, decision = awarded
    data = contract_input(
        "200000.00",
        ends_on=timezone.localdate() + dt.timedelta(days=900),
        continuous=True,
        continuous_reason="居家养老服务需保持连续性",
        budget_cover="2027、2028 年预算已列入中期财政规划",
    )
    assert contract_create(actor=buyer, award=award_of(decision, apps[0]), data=data).continuous


def test_a_milestone_is_paid_once_in_full_after_acceptance(awarded):  # noqa: F811
    call, buyer, apps, decision = awarded
    admin = provider_admin(apps[0])
    contract = sign_and_start(buyer, award_of(decision, apps[0]), admin)
    first = contract.milestones.get(seq=1)
    with pytest.raises(ValidationError):
        milestone_pay(actor=buyer, milestone=first, amount="100000.00", key="k1")  # not accepted
    milestone_submit(actor=admin, milestone=first, note="中期报告已提交")
    with pytest.raises(PermissionDenied):
        milestone_accept(actor=admin, milestone=first)
    milestone_accept(actor=buyer, milestone=first)
    with pytest.raises(ValidationError) as err:
        milestone_pay(actor=buyer, milestone=first, amount="100000.01", key="k1")
    assert "more than the milestone" in err.value.messages[0]
    with pytest.raises(ValidationError):
        milestone_pay(actor=buyer, milestone=first, amount="abc", key="k1")
    payment = milestone_pay(actor=buyer, milestone=first, amount="100000.00", key="k1")
    assert milestone_pay(actor=buyer, milestone=first, amount="100000.00", key="k1") == payment
    with pytest.raises(ValidationError) as err:
        milestone_pay(actor=buyer, milestone=first, amount="100000.00", key="k2")
    assert "already paid" in err.value.messages[0]
    call = Call.objects.get(pk=call.pk)
    assert call.paid == Decimal("100000.00") and Payment.objects.count() == 1
    assert payment.fee == 0 and payment.net_to_provider == payment.amount


def test_terminating_gives_the_unpaid_part_back(awarded):  # noqa: F811
    call, buyer, apps, decision = awarded
    contract = sign_and_start(buyer, award_of(decision, apps[1]), provider_admin(apps[1]))
    with pytest.raises(ValidationError):
        contract_transition(actor=buyer, contract=contract, action="terminate")  # no reason
    with pytest.raises(ValidationError, match="5000"):
        contract_transition(actor=buyer, contract=contract, action="terminate", reason="长" * 5001)
    assert Contract.objects.get(pk=contract.pk).state == contract.state
    contract_transition(actor=buyer, contract=contract, action="terminate", reason="机构注销")
    call = Call.objects.get(pk=call.pk)
    assert call.committed == 0 and call.reserved == Decimal("300000.00")
    with pytest.raises(ValidationError):
        contract_transition(actor=buyer, contract=contract, action="activate")


def test_matching_funds_received_are_recorded_beside_those_declared(awarded):  # noqa: F811
    from servicepark.procurement.services.contracts import matching_funds_record

    call, buyer, apps, decision = awarded
    admin = provider_admin(apps[0])
    contract = sign_and_start(buyer, award_of(decision, apps[0]), admin)
    assert contract.matching_declared == Decimal("100000.00")
    with pytest.raises(ValidationError):
        matching_funds_record(actor=admin, contract=contract, amount="-1", source="基金会")
    with pytest.raises(PermissionDenied):
        matching_funds_record(actor=buyer, contract=contract, amount="1000", source="基金会")
    contract = matching_funds_record(
        actor=admin, contract=contract, amount="30000", source="基金会"
    )
    assert contract.matching_received == Decimal("30000.00")
