"""Paying for services: milestones against accepted deliverables, and vouchers redeemed by the
provider. Money for a member of an umbrella association goes to the association, which keeps
its management fee (part of it into the emergency pool) and passes the rest on. Every
payment is idempotent by key and made under row locks (call → contract → milestone/voucher →
association finance), so no interleaving of requests pays twice or overspends."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.inputs import plain_text
from servicepark.common.money import CENT, AmountError, parse_yuan
from servicepark.common.permissions import require_permission
from servicepark.procurement.models import (
    AssociationFinance,
    Contract,
    Milestone,
    Payment,
    Voucher,
)
from servicepark.procurement.services import funds

PAYABLE = (Contract.State.ACTIVE,)


def _key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > 64 or "\x00" in key:
        raise ValidationError(_("A payment needs an idempotency key of 1 to 64 characters."))
    return key


def milestone_submit(*, actor: Any, milestone: Milestone, note: str) -> Milestone:
    """The provider reports the deliverable as done."""
    note = plain_text(
        note,
        limit=5000,
        missing=_("Say what was delivered."),
        too_long=_("Write plain text of at most %(n)d characters.") % {"n": 5000},
    )
    with transaction.atomic():
        locked = (
            Milestone.objects.select_for_update().select_related("contract").get(pk=milestone.pk)
        )
        require_permission("contract.provide", actor, locked.contract)
        if locked.contract.state != Contract.State.ACTIVE:
            raise ValidationError(_("The contract is not in service."))
        if locked.state not in (Milestone.State.PENDING, Milestone.State.SUBMITTED):
            raise ValidationError(_("This milestone's deliverable is already accepted."))
        locked.state, locked.delivered_note = Milestone.State.SUBMITTED, note
        locked.save(update_fields=["state", "delivered_note", "updated_at"])
        audit_record(actor=actor, action="milestone.submit", obj=locked, after={"note": note})
    return locked


def milestone_accept(*, actor: Any, milestone: Milestone) -> Milestone:
    with transaction.atomic():
        locked = (
            Milestone.objects.select_for_update()
            .select_related("contract__purchaser")
            .get(pk=milestone.pk)
        )
        require_permission("contract.manage", actor, locked.contract)
        if locked.state != Milestone.State.SUBMITTED:
            raise ValidationError(_("Only a submitted deliverable can be accepted."))
        locked.state, locked.accepted_at = Milestone.State.ACCEPTED, timezone.now()
        locked.save(update_fields=["state", "accepted_at", "updated_at"])
        audit_record(
            actor=actor, action="milestone.accept", obj=locked, after={"state": "accepted"}
        )
    return locked


def _route(contract: Contract, amount: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(fee, of which to the pool, net to the provider) for money paid to the payee."""
    if contract.payee_id == contract.provider_id:
        return Decimal("0.00"), Decimal("0.00"), amount
    finance, _created = AssociationFinance.objects.select_for_update().get_or_create(
        association_id=contract.payee_id
    )
    fee = (amount * finance.fee_rate).quantize(CENT, ROUND_HALF_UP)
    to_pool = (fee * finance.pool_share).quantize(CENT, ROUND_HALF_UP)
    finance.pool_balance += to_pool
    finance.save(update_fields=["pool_balance", "updated_at"])
    return fee, to_pool, amount - fee


def _pay(
    *,
    actor: Any,
    contract: Contract,
    amount: Decimal,
    key: str,
    kind: str,
    milestone: Milestone | None = None,
    voucher: Voucher | None = None,
    co_payment: Decimal = Decimal("0.00"),
) -> Payment:
    """Inside the caller's transaction, with call and contract locked."""
    if contract.state not in PAYABLE:
        raise ValidationError(_("Payments are made only while the contract is in service."))
    if contract.paid + amount > contract.price:
        raise ValidationError(
            _("The contract has %(left)s yuan left to pay; %(a)s is too much.")
            % {"left": contract.price - contract.paid, "a": amount}
        )
    call = contract.call
    funds.consume(call, amount)
    fee, to_pool, net = _route(contract, amount)
    payment = Payment.objects.create(
        contract=contract,
        kind=kind,
        milestone=milestone,
        voucher=voucher,
        amount=amount,
        payee_id=contract.payee_id,
        fee=fee,
        to_pool=to_pool,
        net_to_provider=net,
        co_payment=co_payment,
        idempotency_key=key,
        paid_by=actor if getattr(actor, "pk", None) else None,
    )
    contract.paid += amount
    contract.save(update_fields=["paid", "updated_at"])
    audit_record(
        actor=actor,
        action=f"payment.{kind}",
        obj=payment,
        after={
            "contract": contract.number,
            "amount": amount,
            "payee": contract.payee_id,
            "fee": fee,
            "to_pool": to_pool,
            "net_to_provider": net,
            "provider": contract.provider_id,
            "co_payment": co_payment,
        },
    )
    return payment


def _existing(key: str) -> Payment | None:
    return Payment.objects.filter(idempotency_key=key).first()


def milestone_pay(*, actor: Any, milestone: Milestone, amount: Any, key: str) -> Payment:
    """Pay an accepted milestone, in full and once. The same key returns the same payment."""
    key = _key(key)
    try:
        value = parse_yuan(amount)
    except AmountError as exc:
        raise ValidationError(exc.message) from None
    with transaction.atomic():
        contract_row = Contract.objects.select_related("purchaser").get(pk=milestone.contract_id)
        require_permission("contract.manage", actor, contract_row)
        call = funds.lock_call(contract_row.call_id)
        contract = Contract.objects.select_for_update().get(pk=contract_row.pk)
        contract.call = call
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        existing = _existing(key)
        if existing is not None:
            if existing.milestone_id != locked.pk:
                raise ValidationError(_("This idempotency key was used for another payment."))
            return existing
        if locked.state == Milestone.State.PAID:
            raise ValidationError(_("This milestone is already paid."))
        if locked.state != Milestone.State.ACCEPTED:
            raise ValidationError(_("Pay a milestone only after its deliverable is accepted."))
        if value > locked.amount:
            raise ValidationError(
                _("%(v)s yuan is more than the milestone's %(m)s.")
                % {"v": value, "m": locked.amount}
            )
        if value != locked.amount:
            raise ValidationError(
                _("A milestone is paid in full: %(m)s yuan.") % {"m": locked.amount}
            )
        payment = _pay(
            actor=actor,
            contract=contract,
            amount=value,
            key=key,
            kind="milestone",
            milestone=locked,
        )
        locked.state = Milestone.State.PAID
        locked.save(update_fields=["state", "updated_at"])
    return payment


def voucher_redeem(*, actor: Any, code: str, key: str) -> Payment:
    """The provider redeems a voucher a beneficiary brings: each voucher once, only by the
    provider of its scheme; the provider is paid the public share, the user's co-payment is
    recorded beside it."""
    key = _key(key)
    code = (code or "").strip().upper()
    with transaction.atomic():
        voucher_row = Voucher.objects.select_related("scheme__contract").filter(code=code).first()
        if voucher_row is None:
            raise ValidationError(_("No voucher has the code “%(c)s”.") % {"c": code[:16]})
        contract_row = voucher_row.scheme.contract
        try:
            require_permission("contract.provide", actor, contract_row)
        except PermissionDenied:
            raise PermissionDenied(
                _("This voucher is for another provider's service; it cannot be redeemed here.")
            ) from None
        call = funds.lock_call(contract_row.call_id)
        contract = Contract.objects.select_for_update().get(pk=contract_row.pk)
        contract.call = call
        voucher = (
            Voucher.objects.select_for_update().select_related("scheme").get(pk=voucher_row.pk)
        )
        existing = _existing(key)
        if existing is not None:
            if existing.voucher_id != voucher.pk:
                raise ValidationError(_("This idempotency key was used for another payment."))
            return existing
        if voucher.redeemed_at is not None:
            raise ValidationError(
                _("This voucher was already redeemed on %(t)s.")
                % {"t": timezone.localtime(voucher.redeemed_at).strftime("%Y-%m-%d %H:%M")}
            )
        payment = _pay(
            actor=actor,
            contract=contract,
            amount=voucher.scheme.public_share,
            key=key,
            kind="voucher",
            voucher=voucher,
            co_payment=voucher.scheme.co_payment,
        )
        voucher.redeemed_at, voucher.redeemed_by_id = timezone.now(), contract.provider_id
        voucher.save(update_fields=["redeemed_at", "redeemed_by", "updated_at"])
    return payment
