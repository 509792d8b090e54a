"""An umbrella association's terms (management fee, share of fees to the emergency pool) and
the pool's support to members in difficulty ("1 + 4", seed 003)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_organization_ids
from servicepark.common.audit import audit_record
from servicepark.common.money import AmountError, parse_yuan
from servicepark.common.permissions import require_permission
from servicepark.procurement.models import AssociationFinance, SupportRequest
from servicepark.registry.models import AssociationMember, Organization


def _share(value: Any, what: str) -> Decimal:
    try:
        share = Decimal(str(value).strip().rstrip("%")) / (100 if "%" in str(value) else 1)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(what)s must be a number.") % {"what": what}) from None
    if not Decimal(0) <= share <= Decimal(1):
        raise ValidationError(_("%(what)s must be between 0 and 100 %%.") % {"what": what})
    return share.quantize(Decimal("0.0001"))


def association_finance_set(
    *, actor: Any, association: Organization, fee_rate: Any, pool_share: Any
) -> AssociationFinance:
    require_permission("association.members", actor, association)
    rate = _share(fee_rate, _("The management fee rate"))
    share = _share(pool_share, _("The share of fees to the emergency pool"))
    with transaction.atomic():
        finance, _created = AssociationFinance.objects.select_for_update().get_or_create(
            association=association
        )
        before = {"fee_rate": finance.fee_rate, "pool_share": finance.pool_share}
        finance.fee_rate, finance.pool_share = rate, share
        finance.save(update_fields=["fee_rate", "pool_share", "updated_at"])
        audit_record(
            actor=actor,
            action="association.finance",
            obj=finance,
            before=before,
            after={"fee_rate": rate, "pool_share": share},
        )
    return finance


def _is_member(association: Organization, member: Organization) -> bool:
    return (
        member.umbrella_id == association.pk
        or AssociationMember.objects.filter(
            association=association, member=member, ended_on__isnull=True
        ).exists()
    )


def support_request_file(
    *, actor: Any, association: Organization, member: Organization, amount: Any, reason: str
) -> SupportRequest:
    if member.pk not in user_organization_ids(actor, [Role.ORG_ADMIN]):
        raise PermissionDenied(_("Only the member's admins may ask for support."))
    if not _is_member(association, member):
        raise ValidationError(_("Only members and attached organizations may ask this pool."))
    try:
        value = parse_yuan(amount)
    except AmountError as exc:
        raise ValidationError(exc.message) from None
    reason = (reason or "").strip()
    if value <= 0 or not reason or len(reason) > 2000 or "\x00" in reason:
        raise ValidationError(
            _("Give an amount above zero and the reason (at most 2,000 characters).")
        )
    with transaction.atomic():
        request = SupportRequest.objects.create(
            association=association, member=member, amount=value, reason=reason
        )
        audit_record(
            actor=actor,
            action="support.request",
            obj=request,
            after={"amount": value, "reason": reason},
        )
    return request


def support_request_decide(
    *, actor: Any, request: SupportRequest, approve: bool, note: str = ""
) -> SupportRequest:
    """The association approves (paid from the pool, never below zero) or declines."""
    note = (note or "").strip()[:2000]
    with transaction.atomic():
        finance, _created = AssociationFinance.objects.select_for_update().get_or_create(
            association_id=request.association_id
        )
        locked = (
            SupportRequest.objects.select_for_update()
            .select_related("association")
            .get(pk=request.pk)
        )
        if locked.association_id not in user_organization_ids(actor, [Role.ASSOCIATION_STAFF]):
            raise PermissionDenied(_("Only the association's staff decide on support."))
        if locked.state != SupportRequest.State.REQUESTED:
            raise ValidationError(_("This request has already been decided."))
        if approve:
            if locked.amount > finance.pool_balance:
                raise ValidationError(
                    _("The emergency pool holds %(b)s yuan; %(a)s cannot be paid.")
                    % {"b": finance.pool_balance, "a": locked.amount}
                )
            finance.pool_balance -= locked.amount
            finance.save(update_fields=["pool_balance", "updated_at"])
        elif not note:
            raise ValidationError(_("Say why the request is declined."))
        locked.state = SupportRequest.State.APPROVED if approve else SupportRequest.State.DECLINED
        locked.decided_by = actor if getattr(actor, "pk", None) else None
        locked.decision_note = note
        locked.save(update_fields=["state", "decided_by", "decision_note", "updated_at"])
        audit_record(
            actor=actor,
            action="support.decide",
            obj=locked,
            after={"state": locked.state, "note": note, "pool_after": finance.pool_balance},
        )
    return locked
