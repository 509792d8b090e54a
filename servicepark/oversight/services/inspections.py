"""Inspections, investigations and rectification orders (an overdue order lists the
organization; a verified one takes off the entries it answers)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record, snapshot
from servicepark.common.permissions import require_permission
from servicepark.common.workflows import workflow_transition
from servicepark.oversight.models import CreditListing, Inspection, Rectification
from servicepark.oversight.services.common import future_date, past_date, text
from servicepark.oversight.services.listing import remove_listings
from servicepark.oversight.workflows import RECTIFICATION
from servicepark.registry.models import Organization


def inspection_record(
    *,
    actor: Any,
    organization: Organization,
    kind: str,
    held_on: Any,
    findings: str,
    passed: bool,
) -> Inspection:
    require_permission("oversight.manage", actor, organization)
    if kind not in Inspection.Kind.values:
        raise ValidationError({"kind": _("Choose inspection or investigation.")})
    day = past_date(held_on, _("the day of the inspection"))
    findings = text(findings, _("the findings"))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            organization=organization,
            kind=kind,
            held_on=day,
            findings=findings,
            passed=bool(passed),
            inspector=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action="inspection.record",
            obj=inspection,
            after=snapshot(inspection, ["kind", "held_on", "findings", "passed"]),
        )
    return inspection


def rectification_order(
    *,
    actor: Any,
    organization: Organization,
    order: str,
    deadline: Any,
    inspection: Inspection | None = None,
    listing: CreditListing | None = None,
) -> Rectification:
    require_permission("oversight.manage", actor, organization)
    order = text(order, _("what must be put right"))
    day = future_date(deadline, _("The deadline"))
    for linked in (inspection, listing):
        if linked is not None and linked.organization_id != organization.pk:
            raise ValidationError(_("That record belongs to another organization."))
    if listing is not None and listing.removed_on is not None:
        raise ValidationError(_("This entry has already left the list."))
    with transaction.atomic():
        # One open order per text: a second click (or a colleague at the same moment) does
        # not order the same thing twice. The organization's row serializes the check.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        open_twin = Rectification.objects.filter(
            organization=organization,
            order=order,
            state__in=[Rectification.State.ORDERED, Rectification.State.SUBMITTED],
        ).first()
        if open_twin is not None:
            raise ValidationError(
                _("The same rectification was already ordered on %(day)s and is still open.")
                % {"day": timezone.localtime(open_twin.created_at).date().isoformat()}
            )
        item = Rectification.objects.create(
            organization=organization,
            order=order,
            deadline=day,
            inspection=inspection,
            listing=listing,
            ordered_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action="rectification.order",
            obj=item,
            after=snapshot(item, ["order", "deadline", "inspection", "listing"]),
        )
    return item


def rectification_answer(*, actor: Any, item: Rectification, response: str) -> Rectification:
    response = text(response, _("what was done"))
    with transaction.atomic():
        locked = workflow_transition(
            workflow=RECTIFICATION, obj=item, action="answer", actor=actor, reason=response
        )
        assert isinstance(locked, Rectification)
        locked.response, locked.submitted_at = response, timezone.now()
        locked.save(update_fields=["response", "submitted_at", "updated_at"])
    return locked


def rectification_verify(
    *, actor: Any, item: Rectification, note: str, accept: bool = True
) -> Rectification:
    """Accepted: the order is done, and the credit entries it answers (the listing it was
    ordered for, and the entry its own lateness caused) leave the list. Returned: ordered
    again, with the note."""
    note = text(note, _("the verification note"))
    action = "verify" if accept else "return"
    with transaction.atomic():
        locked = workflow_transition(
            workflow=RECTIFICATION, obj=item, action=action, actor=actor, reason=note
        )
        assert isinstance(locked, Rectification)
        locked.verification = note
        if accept:
            locked.verified_at = timezone.now()
            locked.verified_by = actor if getattr(actor, "pk", None) else None
        locked.save(update_fields=["verification", "verified_at", "verified_by", "updated_at"])
        if accept:
            answered = list(
                CreditListing.objects.select_for_update().filter(
                    Q(pk=locked.listing_id) | Q(source=f"rectification:{locked.pk}"),
                    organization_id=locked.organization_id,
                    removed_on__isnull=True,
                )
            )
            remove_listings(
                actor=actor,
                listings=answered,
                removal=CreditListing.Removal.FULFILLED,
                on=timezone.localdate(),
                evidence=note,
            )
    return locked
