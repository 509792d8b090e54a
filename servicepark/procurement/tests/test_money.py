"""Money through an umbrella association (fee, emergency pool, support), vouchers, and
concurrent payment requests that must never pay twice or overspend."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection  # noqa: F401  (named by the skipif conditions)

from servicepark.accounts.tests.factories import make_user
from servicepark.common.audit import audit_verify
from servicepark.common.tests.threads import run_parallel
from servicepark.procurement.models import (
    Application,
    AssociationFinance,
    Call,
    Contract,
    Payment,
    Voucher,
)
from servicepark.procurement.services.payments import (
    milestone_accept,
    milestone_pay,
    milestone_submit,
    voucher_redeem,
)
from servicepark.procurement.services.support import (
    association_finance_set,
    support_request_decide,
    support_request_file,
)
from servicepark.procurement.services.vouchers import voucher_scheme_create, vouchers_issue
from servicepark.procurement.tests.money_fixtures import (  # noqa: F401  (fixtures)
    awarded,
    contract_input,
    provider_admin,
    sign_and_start,
)
from servicepark.procurement.tests.test_decisions import scored  # noqa: F401  (fixture)
from servicepark.registry.services.associations import association_member_add
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def through_association(awarded):  # noqa: F811
    """丙 applied through the Xicheng-style association: the association is the payee."""
    call, buyer, apps, decision = awarded
    association = make_org(
        name="区社会工作协会", org_type="social_group", registration_kind="registered"
    )
    Application.objects.filter(pk=apps[2].pk).update(applicant=association)
    staff = make_user("association_staff", organization=association)
    association_member_add(actor=staff, association=association, member=apps[2].organization)
    contract = sign_and_start(buyer, decision.awards.get(application=apps[2]), staff)
    return call, buyer, contract, association, staff, apps[2].organization


def _pay_first(buyer, contract, staff, key="k"):
    first = contract.milestones.get(seq=1)
    milestone_submit(actor=staff, milestone=first, note="中期成果")
    milestone_accept(actor=buyer, milestone=first)
    return milestone_pay(actor=buyer, milestone=first, amount=first.amount, key=key)


def test_money_for_a_member_goes_through_the_association_minus_its_fee(through_association):
    call, buyer, contract, association, staff, member = through_association
    assert contract.payee == association and contract.provider == member
    payment = _pay_first(buyer, contract, staff)
    # Default terms: 10 % fee, 30 % of the fee into the emergency pool.
    assert (payment.amount, payment.fee, payment.to_pool, payment.net_to_provider) == (
        Decimal("50000.00"),
        Decimal("5000.00"),
        Decimal("1500.00"),
        Decimal("45000.00"),
    )
    assert AssociationFinance.objects.get(association=association).pool_balance == Decimal(
        "1500.00"
    )
    member_admin = make_user("org_admin", organization=member)
    request = support_request_file(
        actor=member_admin,
        association=association,
        member=member,
        amount="2000.00",
        reason="疫情停摆",
    )
    with pytest.raises(ValidationError) as err:
        support_request_decide(actor=staff, request=request, approve=True)
    assert "holds 1500.00" in err.value.messages[0]
    smaller = support_request_file(
        actor=member_admin, association=association, member=member, amount="1000.00", reason="房租"
    )
    with pytest.raises(PermissionDenied):
        support_request_decide(actor=member_admin, request=smaller, approve=True)
    support_request_decide(actor=staff, request=smaller, approve=True)
    assert AssociationFinance.objects.get(association=association).pool_balance == Decimal("500.00")
    assert audit_verify() is None


@pytest.mark.parametrize("rate", ["1.5", "150%", "-0.1", "abc"])
def test_a_fee_rate_above_100_percent_is_refused(through_association, rate):
    _call, _buyer, _contract, association, staff, _member = through_association
    with pytest.raises(ValidationError):
        association_finance_set(
            actor=staff, association=association, fee_rate=rate, pool_share="0.3"
        )
    finance = association_finance_set(
        actor=staff, association=association, fee_rate="8%", pool_share="0.5"
    )
    assert finance.fee_rate == Decimal("0.0800")


def test_vouchers_are_redeemed_once_and_only_by_their_provider(awarded):  # noqa: F811
    call, buyer, apps, decision = awarded
    admin = provider_admin(apps[1])
    plain = sign_and_start(buyer, decision.awards.get(application=apps[0]), provider_admin(apps[0]))
    with pytest.raises(ValidationError):  # a contract paid by milestones only
        voucher_scheme_create(actor=buyer, contract=plain, service="x", public_share="60.00")
    contract = sign_and_start(
        buyer,
        decision.awards.get(application=apps[1]),
        admin,
        contract_input("150000.00", vouchers="30000.00"),
    )
    scheme = voucher_scheme_create(
        actor=buyer,
        contract=contract,
        service="日间照料一天",
        public_share="60.00",
        co_payment="20.00",
    )
    with pytest.raises(ValidationError):
        vouchers_issue(actor=buyer, scheme=scheme, holders=["张*"] * 501)  # over 30,000 / 60
    vouchers = vouchers_issue(actor=buyer, scheme=scheme, holders=["张*", "李*"])
    other = provider_admin(apps[0])
    with pytest.raises(PermissionDenied):
        voucher_redeem(actor=other, code=vouchers[0].code, key="r0")
    payment = voucher_redeem(actor=admin, code=vouchers[0].code.lower(), key="r1")
    assert (payment.amount, payment.co_payment) == (Decimal("60.00"), Decimal("20.00"))
    with pytest.raises(ValidationError) as err:
        voucher_redeem(actor=admin, code=vouchers[0].code, key="r2")
    assert "already redeemed" in err.value.messages[0]
    assert voucher_redeem(actor=admin, code=vouchers[0].code, key="r1") == payment  # a retry
    with pytest.raises(ValidationError):
        voucher_redeem(actor=admin, code="NOSUCHCODE", key="r3")
    assert (
        Payment.objects.count() == 1
        and Voucher.objects.filter(redeemed_at__isnull=False).count() == 1
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_fifty_concurrent_requests_pay_a_milestone_once_and_never_overspend(awarded):  # noqa: F811
    call, buyer, apps, decision = awarded
    admin = provider_admin(apps[1])
    contract = sign_and_start(
        buyer,
        decision.awards.get(application=apps[1]),
        admin,
        contract_input("150000.00", vouchers="30000.00"),
    )
    first = contract.milestones.get(seq=1)
    milestone_submit(actor=admin, milestone=first, note="中期成果")
    milestone_accept(actor=buyer, milestone=first)
    errors = run_parallel(
        [
            lambda i=i: milestone_pay(
                actor=buyer, milestone=first, amount=first.amount, key=f"m{i}"
            )
            for i in range(50)
        ]
    )
    assert Payment.objects.filter(milestone=first).count() == 1
    assert len(errors) == 49 and all(isinstance(e, ValidationError) for e in errors)

    # Its voucher budget of 30,000 holds five vouchers of 6,000; fifty requests race to
    # redeem them (ten for each code).
    scheme = voucher_scheme_create(
        actor=buyer, contract=contract, service="日间照料一月", public_share="6000.00"
    )
    vouchers = vouchers_issue(actor=buyer, scheme=scheme, holders=[f"长者{i}" for i in range(5)])
    with pytest.raises(ValidationError):
        vouchers_issue(actor=buyer, scheme=scheme, holders=["再一位"])  # nothing left to promise
    errors = run_parallel(
        [
            lambda i=i: voucher_redeem(actor=admin, code=vouchers[i % 5].code, key=f"v{i}")
            for i in range(50)
        ]
    )
    contract = Contract.objects.get(pk=contract.pk)
    call = Call.objects.get(pk=call.pk)
    assert Payment.objects.filter(kind="voucher").count() == 5
    assert contract.paid == Decimal("90000.00")  # milestone 60,000 + five vouchers of 6,000
    assert call.paid == Decimal("90000.00") and call.committed == Decimal("60000.00")
    assert len(errors) == 45
    assert audit_verify() is None
