"""Allowance / voucher schemes: the purchaser sets one up on a contract with a voucher budget
and issues vouchers to beneficiaries (as few details about them as needed) — never more than
that budget can pay; the provider redeems them (services/payments.py)."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.money import AmountError, parse_yuan
from servicepark.common.permissions import require_permission
from servicepark.procurement.models import Contract, Voucher, VoucherScheme
from servicepark.procurement.services import funds

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter


def voucher_scheme_create(
    *, actor: Any, contract: Contract, service: str, public_share: Any, co_payment: Any = "0"
) -> VoucherScheme:
    service = (service or "").strip()
    if not service or len(service) > 200 or "\x00" in service:
        raise ValidationError(_("Name the service a voucher buys (at most 200 characters)."))
    try:
        share, user_part = parse_yuan(public_share), parse_yuan(co_payment)
    except AmountError as exc:
        raise ValidationError(exc.message) from None
    if share <= 0:
        raise ValidationError(_("The purchaser's share per voucher must be above zero."))
    with transaction.atomic():
        funds.lock_call(contract.call_id)
        locked = (
            Contract.objects.select_for_update().select_related("purchaser").get(pk=contract.pk)
        )
        require_permission("contract.manage", actor, locked)
        if locked.state in (Contract.State.COMPLETED, Contract.State.TERMINATED):
            raise ValidationError(_("The contract has ended."))
        if locked.voucher_budget <= 0:
            raise ValidationError(_("The contract has no voucher budget; it pays by milestones."))
        if VoucherScheme.objects.filter(contract=locked).exists():
            raise ValidationError(_("This contract already has a voucher scheme."))
        scheme = VoucherScheme.objects.create(
            contract=locked, service=service, public_share=share, co_payment=user_part
        )
        audit_record(
            actor=actor,
            action="voucher.scheme",
            obj=scheme,
            after={"service": service, "public_share": share, "co_payment": user_part},
        )
    return scheme


def vouchers_issue(*, actor: Any, scheme: VoucherScheme, holders: list[str]) -> list[Voucher]:
    """One voucher per holder. All issued vouchers together may not promise more than the
    contract has left to pay."""
    clean = [h.strip() for h in holders if h and h.strip()]
    if not clean or len(clean) > 1000:
        raise ValidationError(_("Issue 1 to 1,000 vouchers at a time, one holder per line."))
    if any(len(h) > 50 or "\x00" in h for h in clean):
        raise ValidationError(_("A holder is written in at most 50 characters."))
    with transaction.atomic():
        funds.lock_call(scheme.contract.call_id)
        contract = (
            Contract.objects.select_for_update()
            .select_related("purchaser")
            .get(pk=scheme.contract_id)
        )
        require_permission("contract.manage", actor, contract)
        issued = Voucher.objects.filter(scheme=scheme).count()
        promised = (issued + len(clean)) * scheme.public_share
        left = contract.voucher_budget
        if promised > left:
            raise ValidationError(
                _(
                    "With %(n)d more, the vouchers would promise %(p)s yuan; the contract's "
                    "voucher budget is %(l)s. Issue at most %(max)d."
                )
                % {
                    "n": len(clean),
                    "p": promised,
                    "l": left,
                    "max": max(0, int(left / scheme.public_share) - issued),
                }
            )
        vouchers = Voucher.objects.bulk_create(
            Voucher(
                scheme=scheme,
                code="".join(secrets.choice(CODE_ALPHABET) for _n in range(10)),
                holder=h,
            )
            for h in clean
        )
        audit_record(
            actor=actor,
            action="voucher.issue",
            obj=scheme,
            after={
                "count": len(vouchers),
                "promised": Decimal(len(vouchers)) * scheme.public_share,
            },
        )
    return vouchers
