"""Officials' acts on the credit lists: recording sanctions and registered letters (which
list by the rules), listing by hand for the triggers no data shows, verifying that a duty was
fulfilled, removal on application, annulment, and deciding proposals to cancel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record, snapshot
from servicepark.common.permissions import require_permission
from servicepark.common.workflows import workflow_transition
from servicepark.oversight.deadlines import full_years_later
from servicepark.oversight.models import (
    CancellationProposal,
    CreditList,
    CreditListing,
    RegisteredLetter,
    Sanction,
)
from servicepark.oversight.rules.base import Context
from servicepark.oversight.services import credit_steps
from servicepark.oversight.services.common import amount, past_date, text
from servicepark.oversight.services.listing import NewListing, add_listings, remove_listings
from servicepark.oversight.triggers import TRIGGERS
from servicepark.registry.models import Organization
from servicepark.registry.workflows import ORGANIZATION_STATUS

R = CreditListing.Removal


def _only(organization: Organization) -> Context:
    return Context(as_of=timezone.localdate(), organization_ids=frozenset({organization.pk}))


def sanction_record(
    *,
    actor: Any,
    organization: Organization,
    kind: str,
    decided_on: Any,
    reference: str,
    facts: str,
    amount_yuan: Any = None,
) -> Sanction:
    require_permission("oversight.manage", actor, organization)
    if kind not in Sanction.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of sanction.")})
    day = past_date(decided_on, _("the date of the decision"))
    fine = None
    if kind == Sanction.Kind.FINE:
        fine = amount(amount_yuan, _("The fine"))
        if fine <= 0:
            raise ValidationError({"amount": _("A fine needs its amount in yuan.")})
    reference = text(reference, _("the decision number"), limit=100)
    facts = text(facts, _("the facts"))
    with transaction.atomic():
        sanction = Sanction.objects.create(
            organization=organization,
            kind=kind,
            amount=fine,
            decided_on=day,
            reference=reference,
            facts=facts,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action="sanction.record",
            obj=sanction,
            after=snapshot(sanction, ["kind", "amount", "decided_on", "reference", "facts"]),
        )
        credit_steps.list_sanctions(_only(organization), actor)
    return sanction


def letter_send(
    *, actor: Any, organization: Organization, sent_on: Any, tracking_number: str
) -> RegisteredLetter:
    require_permission("oversight.manage", actor, organization)
    day = past_date(sent_on, _("the day the letter was sent"))
    tracking = text(tracking_number, _("the tracking number"), limit=40)
    with transaction.atomic():
        letter = RegisteredLetter.objects.create(
            organization=organization,
            sent_on=day,
            address=organization.address or "-",
            tracking_number=tracking,
        )
        audit_record(
            actor=actor,
            action="letter.send",
            obj=letter,
            after=snapshot(letter, ["sent_on", "address", "tracking_number"]),
        )
    return letter


def letter_outcome(
    *, actor: Any, letter: RegisteredLetter, signed: bool, on: Any
) -> RegisteredLetter:
    """Signed for, or returned unsigned (the second returned letter lists the organization)."""
    require_permission("oversight.manage", actor, letter.organization)
    day = past_date(on, _("the date"))
    with transaction.atomic():
        locked = RegisteredLetter.objects.select_for_update().get(pk=letter.pk)
        if locked.signed_on or locked.returned_on:
            raise ValidationError(_("The outcome of this letter is already recorded."))
        if day < locked.sent_on:
            raise ValidationError(_("A letter cannot come back before it was sent."))
        if signed:
            locked.signed_on = day
        else:
            locked.returned_on = day
        locked.save(update_fields=["signed_on", "returned_on", "updated_at"])
        audit_record(
            actor=actor,
            action="letter.outcome",
            obj=locked,
            after=snapshot(locked, ["signed_on", "returned_on"]),
        )
        ctx = _only(locked.organization)
        credit_steps.list_unreachable(ctx, actor)
        credit_steps.mark_fulfilled(ctx, actor)
    return locked


def listing_add(
    *, actor: Any, organization: Organization, trigger: str, evidence: str, listed_on: Any
) -> CreditListing:
    """List by hand, for a trigger the platform's data does not show (e.g. no party
    organization). Evidence is required; the official must cover the organization."""
    require_permission("oversight.manage", actor, organization)
    t = TRIGGERS.get(trigger)
    if t is None:
        raise ValidationError({"trigger": _("Choose one of the triggers of MCA Order 60.")})
    evidence = text(evidence, _("the evidence"))
    day = past_date(listed_on, _("the listing date"))
    source = f"manual:{trigger}:{day.isoformat()}"
    if CreditListing.objects.filter(organization=organization, list=t.list, source=source).exists():
        raise ValidationError(_("The organization is already listed for this on that day."))
    with transaction.atomic():
        created = add_listings(
            actor=actor, items=[NewListing(organization.pk, trigger, source, day, evidence)]
        )
        if not created:  # listed by someone else in the meantime
            raise ValidationError(_("The organization is already listed for this on that day."))
    return CreditListing.objects.get(pk=created[0])


def listing_verify(*, actor: Any, listing: CreditListing, evidence: str) -> CreditListing:
    """The duty was fulfilled and an official verified it: the entry leaves the list."""
    require_permission("oversight.manage", actor, listing.organization)
    evidence = text(evidence, _("what was verified"))
    with transaction.atomic():
        locked = CreditListing.objects.select_for_update().get(pk=listing.pk)
        if locked.removed_on is not None:
            raise ValidationError(_("This entry has already left the list."))
        if locked.list != CreditList.ABNORMAL:
            raise ValidationError(
                _("Entries on the serious list leave it only on application after two years.")
            )
        remove_listings(
            actor=actor,
            listings=[locked],
            removal=R.FULFILLED,
            on=timezone.localdate(),
            evidence=evidence,
        )
    return locked


def removal_possible_on(listing: CreditListing) -> dt.date:
    """Two full years after the latest serious-list trigger of the organization."""
    latest = (
        CreditListing.objects.filter(
            organization_id=listing.organization_id, list=CreditList.SERIOUS
        )
        .order_by("-listed_on")
        .values_list("listed_on", flat=True)
        .first()
    ) or listing.listed_on
    return full_years_later(max(latest, listing.listed_on), 2)


def listing_apply_removal(*, actor: Any, listing: CreditListing, statement: str) -> CreditListing:
    require_permission("oversight.file", actor, listing.organization)
    statement = text(statement, _("why the organization should leave the list"))
    with transaction.atomic():
        locked = CreditListing.objects.select_for_update().get(pk=listing.pk)
        if locked.list != CreditList.SERIOUS or locked.removed_on is not None:
            raise ValidationError(_("Only a current entry on the serious list is applied for."))
        day = removal_possible_on(locked)
        if timezone.localdate() < day:
            raise ValidationError(
                _("An application is possible from %(d)s: two full years without a new trigger.")
                % {"d": day.isoformat()}
            )
        locked.removal_requested_on, locked.removal_request = timezone.localdate(), statement
        locked.save(update_fields=["removal_requested_on", "removal_request", "updated_at"])
        audit_record(
            actor=actor, action="credit.apply_removal", obj=locked, after={"statement": statement}
        )
    return locked


def listing_decide_removal(
    *, actor: Any, listing: CreditListing, approve: bool, note: str
) -> CreditListing:
    require_permission("oversight.manage", actor, listing.organization)
    note = text(note, _("the reasons for the decision"))
    with transaction.atomic():
        locked = CreditListing.objects.select_for_update().get(pk=listing.pk)
        if locked.removal_requested_on is None or locked.removed_on is not None:
            raise ValidationError(_("There is no application to decide."))
        if approve:
            remove_listings(
                actor=actor,
                listings=[locked],
                removal=R.APPLIED,
                on=timezone.localdate(),
                evidence=note,
            )
        else:
            locked.removal_requested_on = None
            locked.save(update_fields=["removal_requested_on", "updated_at"])
            audit_record(
                actor=actor, action="credit.refuse_removal", obj=locked, after={"note": note}
            )
    return locked


def listing_annul(*, actor: Any, listing: CreditListing, reason: str) -> CreditListing:
    """A wrong entry (e.g. the report had been filed on paper in time) is annulled."""
    require_permission("oversight.manage", actor, listing.organization)
    reason = text(reason, _("why the entry is wrong"))
    with transaction.atomic():
        locked = CreditListing.objects.select_for_update().get(pk=listing.pk)
        if locked.removed_on is not None:
            raise ValidationError(_("This entry has already left the list."))
        remove_listings(
            actor=actor,
            listings=[locked],
            removal=R.ANNULLED,
            on=max(timezone.localdate(), locked.listed_on),
            evidence=reason,
        )
    return locked


def cancellation_decide(
    *, actor: Any, proposal: CancellationProposal, accept: bool, note: str
) -> CancellationProposal:
    """Accepting deregisters the organization (through the registry's workflow)."""
    require_permission("oversight.manage", actor, proposal.organization)
    note = text(note, _("the reasons for the decision"), limit=2000)
    with transaction.atomic():
        locked = CancellationProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state != CancellationProposal.State.PROPOSED:
            raise ValidationError(_("This proposal has already been decided."))
        if accept:
            workflow_transition(
                workflow=ORGANIZATION_STATUS,
                obj=locked.organization,
                action="deregister",
                actor=actor,
                reason=note,
            )
        locked.state = (
            CancellationProposal.State.ACCEPTED if accept else CancellationProposal.State.DISMISSED
        )
        locked.note, locked.decided_at = note, timezone.now()
        locked.decided_by = actor if getattr(actor, "pk", None) else None
        locked.save(update_fields=["state", "note", "decided_at", "decided_by", "updated_at"])
        audit_record(
            actor=actor,
            action="cancellation.decide",
            obj=locked,
            before={"state": "proposed"},
            after={"state": locked.state, "note": note},
        )
    return locked
