"""The call's budget, moved between its buckets only here and only under a row lock:
reserved at award, committed at signing, paid at payment. The database refuses any state in
which the buckets add up to more than the budget, so even a bug cannot overspend."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from servicepark.procurement.models import Call


def lock_call(call_id: int) -> Call:
    """Lock the call row; callers are inside a transaction. Lock order everywhere: call,
    contract, milestone or voucher, association finance."""
    return Call.objects.select_for_update().get(pk=call_id)


def reserve(call: Call, amount: Decimal) -> None:
    free = call.total_budget - call.reserved - call.committed - call.paid
    if amount > free:
        raise ValidationError(
            _("The call has %(free)s yuan left; %(amount)s cannot be reserved.")
            % {"free": free, "amount": amount}
        )
    call.reserved += amount
    call.save(update_fields=["reserved", "updated_at"])


def commit(call: Call, reserved: Decimal, amount: Decimal) -> None:
    """A signed contract turns its award's reservation into a commitment of its price."""
    if amount > reserved or reserved > call.reserved:
        raise ValidationError(_("A contract cannot commit more than its award reserved."))
    call.reserved -= reserved
    call.committed += amount
    call.save(update_fields=["reserved", "committed", "updated_at"])


def release(call: Call, reserved: Decimal = Decimal(0), committed: Decimal = Decimal(0)) -> None:
    """Give back what a terminated contract or an unused award no longer needs."""
    call.reserved -= min(reserved, call.reserved)
    call.committed -= min(committed, call.committed)
    call.save(update_fields=["reserved", "committed", "updated_at"])


def consume(call: Call, amount: Decimal) -> None:
    if amount > call.committed:
        raise ValidationError(
            _("Only %(left)s yuan of the call's commitments are left to pay.")
            % {"left": call.committed}
        )
    call.committed -= amount
    call.paid += amount
    call.save(update_fields=["committed", "paid", "updated_at"])
