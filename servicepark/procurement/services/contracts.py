"""Contracts from final awards: drafting, signing by both parties, and the lifecycle."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.inputs import add_months, date_within
from servicepark.common.money import AmountError, parse_yuan
from servicepark.common.permissions import require_permission
from servicepark.common.workflows import workflow_transition
from servicepark.procurement.models import Award, Contract, Decision, Milestone, Report, Survey
from servicepark.procurement.services import funds
from servicepark.procurement.workflows import CONTRACT_LIFECYCLE

ONE_YEAR = dt.timedelta(days=366)
THREE_YEARS = dt.timedelta(days=3 * 365 + 1)
TERM_AHEAD_MONTHS = 24
TEXTS = ("title", "service_content", "beneficiaries", "quantities")


@dataclass
class MilestoneInput:
    title: str
    deliverable: str
    due_on: dt.date
    amount: Any


@dataclass
class ContractInput:
    title: str
    service_content: str
    beneficiaries: str
    quantities: str
    price: Any
    starts_on: dt.date
    ends_on: dt.date
    milestones: list[MilestoneInput] = field(default_factory=list)
    continuous: bool = False
    continuous_reason: str = ""
    budget_cover: str = ""
    voucher_budget: Any = "0"


def _check(
    data: ContractInput, award: Award
) -> tuple[Decimal, Decimal, list[Decimal], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    for name in TEXTS:
        value = getattr(data, name)
        limit = getattr(Contract._meta.get_field(name), "max_length", None) or 10_000
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            errors[name] = [_("Fill this in.")]
        elif len(value.strip()) > limit:
            errors[name] = [_("At most %(n)s characters, please.") % {"n": f"{limit:,}"}]
    try:
        price = parse_yuan(data.price)
    except AmountError as exc:
        errors["price"] = [exc.message]
        price = Decimal(0)
    if "price" not in errors and not Decimal(0) < price <= award.amount:
        errors["price"] = [
            _("The price must be above zero and at most the award, %(a)s yuan.")
            % {"a": award.amount}
        ]
    try:
        vouchers = parse_yuan(data.voucher_budget or "0")
    except AmountError as exc:
        errors["voucher_budget"] = [exc.message]
        vouchers = Decimal(0)
    # A contract may be put on paper for a service begun within the last year, and may start
    # up to two years ahead; a year typed as 1900 or 2999 is a slip.
    today = timezone.localdate()
    try:
        date_within(
            data.starts_on,
            earliest=today - ONE_YEAR,
            latest=add_months(today, TERM_AHEAD_MONTHS),
        )
    except ValidationError as exc:
        errors["starts_on"] = exc.messages
    if data.ends_on < data.starts_on:
        errors["ends_on"] = [_("The contract must end after it starts.")]
    elif data.ends_on - data.starts_on > THREE_YEARS:
        errors["ends_on"] = [_("A contract runs at most 3 years.")]
    elif data.ends_on - data.starts_on > ONE_YEAR and not (
        data.continuous and data.continuous_reason.strip() and data.budget_cover.strip()
    ):
        errors["ends_on"] = [
            _(
                "Contracts normally run at most one year; a longer one must be marked as a stable "
                "continuous service with a justification and the budget cover for later years."
            )
        ]
    amounts = []
    if not data.milestones and vouchers != price:
        errors["milestones"] = [_("Give at least one milestone with its payment.")]
    for n, m in enumerate(data.milestones, start=1):
        try:
            amount = parse_yuan(m.amount)
        except AmountError as exc:
            errors.setdefault("milestones", []).append(
                _("Milestone %(n)d: %(p)s") % {"n": n, "p": exc.message}
            )
            amount = Decimal(0)
        amounts.append(amount)
        if not m.title.strip() or not m.deliverable.strip():
            errors.setdefault("milestones", []).append(
                _("Milestone %(n)d needs a title and a deliverable.") % {"n": n}
            )
        if not data.starts_on <= m.due_on <= data.ends_on:
            errors.setdefault("milestones", []).append(
                _("Milestone %(n)d falls outside the contract's term.") % {"n": n}
            )
    if not errors.keys() & {"milestones", "price", "voucher_budget"} and (
        sum(amounts) + vouchers != price
    ):
        errors["milestones"] = [
            _(
                "The milestone payments (%(s)s yuan) and the voucher budget (%(v)s) add up to "
                "%(t)s, not the price of %(p)s."
            )
            % {"s": sum(amounts), "v": vouchers, "t": sum(amounts) + vouchers, "p": price}
        ]
    return price, vouchers, amounts, errors


def contract_create(*, actor: Any, award: Award, data: ContractInput) -> Contract:
    """Draft the contract of a final award. Provider and payee come from the application (the
    payee is the umbrella association when it applied on the provider's behalf); so do the
    declared matching funds and the project governance."""
    award = Award.objects.select_related(
        "decision__call__purchaser", "application__organization", "application__applicant"
    ).get(pk=award.pk)
    call = award.decision.call
    probe = Contract(purchaser=call.purchaser)
    require_permission("contract.manage", actor, probe)
    if award.decision.state != Decision.State.FINAL:
        raise ValidationError(_("A contract is made only from a final award."))
    price, vouchers, amounts, errors = _check(data, award)
    if errors:
        raise ValidationError(errors)
    app = award.application
    with transaction.atomic():
        funds.lock_call(call.pk)
        if Contract.objects.filter(award=award).exists():
            raise ValidationError(_("This award already has a contract."))
        contract = Contract.objects.create(
            award=award,
            call=call,
            purchaser=call.purchaser,
            provider=app.organization,
            payee=app.applicant,
            number=f"TMP-{secrets.token_hex(8)}",
            title=data.title.strip(),
            service_content=data.service_content.strip(),
            beneficiaries=data.beneficiaries.strip(),
            quantities=data.quantities.strip(),
            price=price,
            voucher_budget=vouchers,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            continuous=data.continuous,
            continuous_reason=data.continuous_reason.strip(),
            budget_cover=data.budget_cover.strip(),
            matching_declared=app.matching_total,
            governance=app.content.get("governance", {}),
        )
        contract.number = f"{call.purchaser.division_id}-{data.starts_on.year}-{contract.pk:06d}"
        contract.save(update_fields=["number"])
        Milestone.objects.bulk_create(
            Milestone(
                contract=contract,
                seq=n,
                title=m.title.strip(),
                deliverable=m.deliverable.strip(),
                due_on=m.due_on,
                amount=amount,
            )
            for n, (m, amount) in enumerate(zip(data.milestones, amounts, strict=True), start=1)
        )
        audit_record(
            actor=actor,
            action="contract.create",
            obj=contract,
            after={
                "number": contract.number,
                "award": award.pk,
                "price": price,
                "term": [data.starts_on, data.ends_on],
                "milestones": [str(a) for a in amounts],
            },
        )
    return contract


def _schedule_reports(contract: Contract) -> None:
    """Progress reports every three months and at the end; financial reports at mid-term
    (for terms over six months) and at the end."""
    dates = []
    month = 3
    while True:
        due = add_months(contract.starts_on, month)
        if due >= contract.ends_on:
            break
        dates.append(due)
        month += 3
    rows = [Report(contract=contract, kind="progress", due_on=d) for d in dates]
    end = contract.ends_on + dt.timedelta(days=15)
    rows.append(Report(contract=contract, kind="progress", due_on=end))
    if contract.ends_on - contract.starts_on > dt.timedelta(days=183):
        middle = contract.starts_on + (contract.ends_on - contract.starts_on) / 2
        rows.append(Report(contract=contract, kind="financial", due_on=middle))
    rows.append(Report(contract=contract, kind="financial", due_on=end))
    Report.objects.bulk_create(rows)


def contract_sign(*, actor: Any, contract: Contract, side: str) -> Contract:
    """Each party signs once; with both signatures the contract is signed: the award's
    reservation becomes a commitment of the price, reports are scheduled and the beneficiary
    survey opens."""
    if side not in ("purchaser", "provider"):
        raise ValidationError(_("Sign as the purchaser or as the provider."))
    with transaction.atomic():
        call = funds.lock_call(contract.call_id)
        locked = (
            Contract.objects.select_for_update()
            .select_related("purchaser", "award")
            .get(pk=contract.pk)
        )
        require_permission(
            "contract.manage" if side == "purchaser" else "contract.provide", actor, locked
        )
        if locked.state != Contract.State.DRAFT:
            raise ValidationError(_("Only a draft contract is signed."))
        stamp = f"{side}_signed_at"
        if getattr(locked, stamp) is not None:
            raise ValidationError(_("This party has already signed."))
        setattr(locked, stamp, timezone.now())
        fields = [stamp, "updated_at"]
        if locked.purchaser_signed_at and locked.provider_signed_at:
            funds.commit(call, locked.award.amount, locked.price)
            locked.state = Contract.State.SIGNED
            fields.append("state")
            _schedule_reports(locked)
            Survey.objects.create(contract=locked, token=secrets.token_urlsafe(16))
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=f"contract.sign_{side}",
            obj=locked,
            after={"state": locked.state, "price": locked.price},
        )
    return locked


def contract_transition(
    *, actor: Any, contract: Contract, action: str, reason: str = ""
) -> Contract:
    """Start, suspend, resume, complete or terminate. Terminating gives what is not yet paid
    back to the call's budget."""
    with transaction.atomic():
        call = funds.lock_call(contract.call_id)
        result = workflow_transition(
            workflow=CONTRACT_LIFECYCLE, obj=contract, action=action, actor=actor, reason=reason
        )
        assert isinstance(result, Contract)
        if action == "terminate":
            unpaid = result.price - result.paid
            funds.release(call, committed=unpaid)
            audit_record(
                actor=actor,
                action="contract.release",
                obj=result,
                after={"released": unpaid},
            )
    return result


def matching_funds_record(*, actor: Any, contract: Contract, amount: Any, source: str) -> Contract:
    """The provider records matching funds received (declared versus received is public)."""
    try:
        value = parse_yuan(amount)
    except AmountError as exc:
        raise ValidationError(exc.message) from None
    source = (source or "").strip()
    if value <= 0 or not source or len(source) > 100 or "\x00" in source:
        raise ValidationError(_("Give the amount received and where it came from."))
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        require_permission("contract.provide", actor, locked)
        if locked.state == Contract.State.DRAFT:
            raise ValidationError(_("Record matching funds once the contract is signed."))
        before = locked.matching_received
        locked.matching_received += value
        locked.save(update_fields=["matching_received", "updated_at"])
        audit_record(
            actor=actor,
            action="contract.matching_received",
            obj=locked,
            before={"received": before},
            after={"received": locked.matching_received, "amount": value, "source": source},
        )
    return locked
