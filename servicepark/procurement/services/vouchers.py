"""Allowance / voucher schemes: the purchaser sets one up on a contract with a voucher budget
and issues vouchers to beneficiaries (as few details about them as needed) — never more than
that budget can pay; the provider redeems them (services/payments.py)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.cn import ric

from servicepark.common import personal
from servicepark.common.audit import audit_record
from servicepark.common.money import AmountError, parse_yuan
from servicepark.common.permissions import require_permission
from servicepark.procurement.models import Contract, Voucher, VoucherScheme
from servicepark.procurement.services import funds
from servicepark.registry.validation import phone_is_valid

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


@dataclass(frozen=True)
class Holder:
    name: str
    phone: str = ""
    id_number: str = ""

    @property
    def digest(self) -> str:
        return personal.digest(self.id_number, "id_number")


HOLDER_SEPARATORS = re.compile(r"[,，\t]")


def parse_holders(lines: list[str]) -> list[Holder]:
    """One holder per line: a name, then optionally a phone number and a resident ID number,
    separated by commas or tabs (`张桂兰，13800280002，510107194501011234`). Every bad line is
    reported with its number."""
    holders: list[Holder] = []
    errors: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line or not line.strip():
            continue
        parts = [p.strip() for p in HOLDER_SEPARATORS.split(line.strip())]
        name = parts[0]
        phone = parts[1] if len(parts) > 1 else ""
        id_number = "".join(parts[2].split()).upper() if len(parts) > 2 else ""
        problem = ""
        if len(parts) > 3:
            problem = _("at most a name, a phone and an ID number.")
        elif not name or len(name) > 50 or "\x00" in line:
            problem = _("a name of 1 to 50 characters comes first.")
        elif phone and not phone_is_valid(phone):
            problem = _("not a valid Chinese phone number.")
        elif id_number and not ric.is_valid(id_number):
            problem = _("not a valid resident ID number (18 characters, checksum).")
        if problem:
            errors.append(_("Line %(n)d: %(problem)s") % {"n": number, "problem": problem})
        else:
            holders.append(Holder(name, phone, id_number))
    if errors:
        raise ValidationError(errors)
    if not holders or len(holders) > 1000:
        raise ValidationError(_("Issue 1 to 1,000 vouchers at a time, one holder per line."))
    seen: set[str] = set()
    for holder in holders:
        if holder.id_number and holder.digest in seen:
            raise ValidationError(
                _("The ID number %(id)s is listed twice: one voucher per person.")
                % {"id": personal.mask_id_number(holder.id_number)}
            )
        seen.add(holder.digest)
    return holders


def vouchers_issue(*, actor: Any, scheme: VoucherScheme, holders: list[str]) -> list[Voucher]:
    """One voucher per holder (and per person, when the ID number is given). All issued
    vouchers together may not promise more than the contract has left to pay. Phone and ID
    numbers are stored encrypted; the audit trail records only how many were issued."""
    clean = parse_holders(holders)
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
        taken = set(
            Voucher.objects.filter(
                scheme=scheme, holder_digest__in=[h.digest for h in clean if h.id_number]
            ).values_list("holder_digest", flat=True)
        )
        if taken:
            twice = next(h for h in clean if h.id_number and h.digest in taken)
            raise ValidationError(
                _("The holder with ID number %(id)s already has a voucher of this scheme.")
                % {"id": personal.mask_id_number(twice.id_number)}
            )
        vouchers = Voucher.objects.bulk_create(
            Voucher(
                scheme=scheme,
                code="".join(secrets.choice(CODE_ALPHABET) for _n in range(10)),
                holder=h.name,
                holder_phone=h.phone,
                holder_id_number=h.id_number,
                holder_digest=h.digest,
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
